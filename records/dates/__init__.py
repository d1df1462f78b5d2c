"""Historical dates: EDTF parsed into indexed bounds (edtf.py) and said in words in three languages
(display.py)."""
