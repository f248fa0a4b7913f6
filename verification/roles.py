"""The staff roles and what each may do. A data migration creates the groups from this."""

VERIFIKATOR = "Verifikator Kecamatan"
MITRA = "Mitra"
DESA = "Pemerintah Kelurahan/Desa"
PIMPINAN = "Pimpinan"

GROUP_PERMISSIONS = {
    VERIFIKATOR: [
        "verification.view_cases",
        "verification.decide_submission",
        "verification.view_decision",
        "registrations.view_submission",
        "registrations.view_document",
        "registrations.view_child",
        "registrations.change_child",
        "registrations.view_measurement",
        "registrations.add_measurement",
    ],
    # Read-only officials: the lists and pages, never the KK/akta images.
    PIMPINAN: [
        "verification.view_cases",
        "verification.view_decision",
        "registrations.view_submission",
        "registrations.view_child",
        "registrations.view_measurement",
    ],
    # Partners and village governments get their own, scoped pages.
    MITRA: [],
    DESA: [],
}
