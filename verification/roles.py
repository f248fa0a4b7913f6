"""The names of the roles (groups); the data migrations create the groups and their permissions."""

VERIFIKATOR = "Verifikator Kecamatan"
MITRA = "Mitra"
DESA = "Pemerintah Kelurahan/Desa"
PIMPINAN = "Pimpinan"

ALL = [VERIFIKATOR, PIMPINAN, MITRA, DESA]
# Kecamatan staff who keep the master data (posyandu, partners and their users, intervention
# types) in the Django admin: their accounts are staff (is_staff).
ADMIN_ROLES = {VERIFIKATOR}
# Users who act for a partner: their account is linked to one (PartnerMember).
PARTNER_ROLES = {MITRA, DESA}
