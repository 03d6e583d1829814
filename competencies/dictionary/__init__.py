"""The competency dictionary: list, detail and the admin's create/edit form."""
