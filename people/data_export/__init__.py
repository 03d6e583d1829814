"""An employee's copy of everything the portal holds on them (UU PDP 27/2022 Pasal 7 and 13, issue #16).

`services.data_export_request` records the request (one pending per person) and enqueues the build
through the outbox; `services.data_export_build` (Celery) writes one JSON file per registered
personal-data section (asn_portal.registry.personal_data_sections) and a readable PDF summary into a ZIP in
private storage, updating `progress`, then notifies the owner. Only the owner downloads it, until
`expires_at` (settings.DATA_EXPORT_TTL_HOURS); `data_exports_expire` deletes expired files set-based."""
