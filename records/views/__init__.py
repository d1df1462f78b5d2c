"""Views of the HTML site: public/ (what readers see), and the workspace: editing.py and record_form.py
(proposing), reviewing.py (proposals, queue, notifications), history.py; errors.py turns the workflow's
refusals into pages."""
