"""The curators' round trip through a spreadsheet: export records to XLSX/CSV, import the edited sheet back."""
