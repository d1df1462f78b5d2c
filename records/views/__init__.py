"""Views of the HTML site: public.py (what readers see); the workspace adds its own modules."""
