"""Corrections through the BKD (pemutakhiran data, UU PDP 27/2022 Pasal 6, issue #16).

An employee proposes changes to their own record (allow-listed fields and position-history entries) with
a supporting document; a BKD admin of their agency approves (applied through `people.services.employee_update`,
the same write path as the admin's edit form) or rejects with a reason. Heads see nothing of it."""
