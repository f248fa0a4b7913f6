"""The names of the roles (groups); the data migrations create the groups and their permissions."""

VERIFIKATOR = "Verifikator Kecamatan"
MITRA = "Mitra"
DESA = "Pemerintah Kelurahan/Desa"
PIMPINAN = "Pimpinan"
