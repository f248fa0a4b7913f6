"""manage.py import_google_form on the sample export in tests/fixtures (synthetic people)."""

import csv
from datetime import date, datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from registrations import services
from registrations.models import Posyandu, Submission, SubmissionVersion

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
CSV = FIXTURES / "google_form_export.csv"
XLSX = FIXTURES / "google_form_export.xlsx"
JAKARTA = ZoneInfo("Asia/Jakarta")
DRIVE = "https://drive.google.com/open?id="

# The rows of the sample that can be imported, and why the others cannot.
IMPORTABLE = [2, 3, 4, 5, 6, 7, 14]
REFUSED = {
    8: 'kelurahan/desa "Desa Sukamaju" tidak dikenal; tulis salah satu dari: Bukit Betung, '
    "Jelitik, Kenanga, Kudai, Lubuk Kelik, Matras, Parit Padang, Rebo, Sinar Baru, "
    "Sinar Jaya Jelutung, Sri Menanti, Sungailiat, Surya Timur",
    9: 'umur "dua tahun" tidak dapat dibaca (contoh: 2 tahun 3 bulan, 27 bulan, 1,5 tahun)',
    10: 'umur "27" tanpa satuan tahun/bulan (contoh: 2 tahun 3 bulan, 27 bulan, 1,5 tahun)',
    11: "umur 62 bulan saat dilaporkan: bukan balita (di bawah 60 bulan)",
    12: "nama anak kosong",
    13: "sama dengan baris 3",
}
# Names in the sample: none of them may appear in the command's output.
NAMES = ["Siti Rahmawati", "Aditya Pratama", "Nabila Putri", "Dewi Lestari", "Yuliana", "Salsabila"]


def run(path, *args):
    out = StringIO()
    call_command("import_google_form", str(path), *args, stdout=out)
    return out.getvalue()


def lines(out):
    return [line.strip() for line in out.splitlines()]


def test_the_dry_run_lists_what_it_would_import_and_why_not_and_changes_nothing():
    out = run(CSV)
    assert not Submission.objects.exists() and not SubmissionVersion.objects.exists()

    assert "Akan diimpor (7):" in out
    assert "Tidak diimpor (6):" in out
    assert (
        "Uji coba: tidak ada yang disimpan. Jalankan lagi dengan --commit untuk mengimpor 7 laporan."
        in out
    )
    for number, reason in REFUSED.items():
        assert f"Baris {number}: {reason}" in lines(out)
    assert (
        "Baris 3: dikirim 15-12-2024 09:03, Kelurahan Sungailiat, umur “27 bln” → lahir "
        "±31-08-2022 (perkiraan), 2 tautan berkas"
    ) in lines(out)
    for number in IMPORTABLE:
        assert any(line.startswith(f"Baris {number}: dikirim ") for line in lines(out))
    # The columns it matched, the one it leaves aside, the date order it read.
    assert "Kolom “Umur Anak” → umur anak" in lines(out)
    assert "Kolom “Upload Dokumen (KK/Akta Kelahiran)” → dokumen KK/akta" in lines(out)
    assert "Kolom tidak dipakai (tetap disimpan di data asli): “Email Address”" in lines(out)
    assert "Tanggal dibaca sebagai bulan/hari/tahun." in lines(out)
    # Row numbers, places and ages: no names of kader, children or parents.
    for name in NAMES:
        assert name not in out


def test_it_imports_the_rows_into_the_queue_with_their_original_time():
    out = run(CSV, "--commit")
    assert "7 laporan diimpor ke antrean verifikasi (ditandai “impor Google Form”)." in out

    reports = Submission.objects.order_by("created_at")
    assert reports.count() == 7
    assert {s.source for s in reports} == {Submission.Source.GOOGLE_FORM}
    assert {s.status for s in reports} == {Submission.Status.PENDING}
    assert all(s.import_key and s.imported_at for s in reports)

    s = reports.get(child_name="Nabila Putri")
    assert s.created_at == datetime(2024, 12, 15, 9, 3, 12, tzinfo=JAKARTA)
    assert (s.kader_name, s.kader_phone) == ("Siti Rahmawati", "")
    assert s.village.name == "Sungailiat"
    assert (s.posyandu, s.posyandu_other) == (None, "")
    assert (s.birth_date, s.birth_date_estimated) == (date(2022, 8, 31), True)
    assert (s.child_sex, s.child_nik, s.kk_number) == ("", "", "")
    assert (s.mother_name, s.parent_occupation) == ("Sri Wahyuni", "Nelayan")
    assert s.address == "Jl. Pahlawan 12 RT 01"
    assert s.file_links == [
        DRIVE + "1QwErTy8uIoP5aSdFgHjKlZxCvBnM4qW2",
        DRIVE + "1ZxCvBnM9aSdFgHjKlQwErTyUiOp3LkJh",
    ]
    # Nothing the form did not ask for is made up: no measurement, no consent.
    assert (s.measured_on, s.weight_kg, s.height_cm, s.consent_at) == (None, None, None, None)
    assert not hasattr(s, "measurement")
    assert not s.documents.exists()
    # The row as exported, every column, and the first version with the original time.
    assert s.imported_row["Email Address"] == "siti.rahmawati@example.com"
    assert s.imported_row["Umur Anak"] == "27 bln"
    version = s.versions.get()
    assert (version.number, version.created_at) == (1, s.created_at)
    assert version.data["birth_date"] == "2022-08-31"

    villages = sorted(reports.values_list("village__name", flat=True))
    assert villages == [
        "Lubuk Kelik",
        "Matras",
        "Rebo",
        "Rebo",
        "Sri Menanti",
        "Sungailiat",
        "Sungailiat",
    ]
    assert reports.get(child_name="Rafa Alfarizi").file_links == []


def test_importing_the_same_export_again_imports_nothing_new():
    run(CSV, "--commit")
    codes = set(Submission.objects.values_list("code", flat=True))

    out = run(CSV, "--commit")
    assert set(Submission.objects.values_list("code", flat=True)) == codes
    assert "0 laporan diimpor" in out
    for number in IMPORTABLE:
        assert f"Baris {number}: sudah diimpor sebelumnya" in lines(out)


def test_the_xlsx_download_of_the_same_responses_gives_the_same_reports():
    out = run(XLSX, "--commit")
    assert "7 laporan diimpor" in out
    assert "Kolom “Stempel waktu” → waktu kirim" in lines(out)
    first = {
        s.import_key: (s.created_at, s.birth_date, s.village_id, s.file_links)
        for s in Submission.objects.all()
    }
    Submission.objects.all().delete()  # versions go with them

    run(CSV, "--commit")
    again = {
        s.import_key: (s.created_at, s.birth_date, s.village_id, s.file_links)
        for s in Submission.objects.all()
    }
    assert again == first

    # And the one after the other adds nothing.
    assert "0 laporan diimpor" in run(XLSX, "--commit")
    assert Submission.objects.count() == 7


def test_a_header_it_cannot_match_stops_it_until_mapped(tmp_path):
    path = tmp_path / "jawaban.csv"
    text = CSV.read_text().replace("Nama Anak,", "Nama Balita Yang Diukur,", 1)
    path.write_text(text)

    with pytest.raises(CommandError) as e:
        run(path, "--commit")
    assert str(e.value).startswith("Kolom wajib tidak ditemukan: nama anak.")
    assert not Submission.objects.exists()

    out = run(path, "--commit", "--map", "Nama Balita Yang Diukur=nama_anak")
    assert "Kolom “Nama Balita Yang Diukur” → nama anak" in lines(out)
    assert Submission.objects.count() == 7


def test_it_reads_optional_columns_and_day_first_dates(tmp_path, posyandu):
    path = tmp_path / "jawaban.csv"
    with path.open("w", newline="") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(
            [
                "Stempel waktu",
                "Nama kader",
                "No HP kader",
                "Desa",
                "Posyandu",
                "Nama balita",
                "NIK anak",
                "Jenis kelamin",
                "Tanggal lahir",
                "Nama ibu",
                "Nama ayah",
                "Alamat",
            ]
        )
        w.writerow(
            [
                "13/02/2026 10:00:00",
                "Rina",
                "0812 3456 7890",
                "Matras",
                "Posyandu Melati",
                "Bayu",
                "1901011203240001",
                "Laki-laki",
                "12/03/2024",
                "Sari",
                "Anto",
                "Jl. A",
            ]
        )
        w.writerow(
            [
                "14/02/2026 10:00:00",
                "Rina",
                "12",
                "Matras",
                "Anggrek",
                "Citra",
                "123",
                "?",
                "",
                "Sari",
                "",
                "",
            ]
        )
    out = run(path, "--commit")
    bayu = Submission.objects.get(child_name="Bayu")
    assert bayu.posyandu == posyandu and bayu.posyandu_other == ""
    assert (bayu.kader_phone, bayu.child_nik, bayu.child_sex) == (
        "6281234567890",
        "1901011203240001",
        "L",
    )
    assert (bayu.birth_date, bayu.birth_date_estimated) == (date(2024, 3, 12), False)
    assert (bayu.mother_name, bayu.father_name) == ("Sari", "Anto")
    assert "Baris 3: umur anak kosong" in lines(out)


def test_it_notes_values_it_leaves_out(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text(
        "Timestamp,Nama kader,No HP kader,Desa,Nama anak,NIK anak,Jenis kelamin,Umur,"
        "Nama orang tua,Dokumen\n"
        "15/02/2026 10:00:00,Rina,12,Rebo,Citra,123,?,8 bulan,Sari,foto KK.jpg\n"
    )
    out = run(path, "--commit")
    assert (
        "NIK anak bukan 16 angka: dikosongkan; jenis kelamin tidak dikenal: dikosongkan; "
        "nomor HP kader tidak dikenal: dikosongkan; kolom dokumen tanpa tautan: tidak ada berkas"
    ) in out
    citra = Submission.objects.get()
    assert (citra.child_nik, citra.child_sex, citra.kader_phone, citra.file_links) == (
        "",
        "",
        "",
        [],
    )


def test_it_keeps_no_link_outside_google_drive(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text(
        "Timestamp,Nama kader,Desa,Nama anak,Umur,Nama orang tua,Dokumen\n"
        '15/02/2026 10:00:00,Rina,Rebo,Citra,8 bulan,Sari,"https://bit.ly/kk, '
        f'{DRIVE}AAA"\n'
    )
    out = run(path, "--commit")
    assert "1 tautan berkas – 1 tautan bukan Google Drive: tidak disimpan" in out
    assert Submission.objects.get().file_links == [DRIVE + "AAA"]


def test_it_refuses_rows_from_the_future_and_too_long_names(tmp_path):
    path = tmp_path / "jawaban.csv"
    path.write_text(
        "Timestamp,Nama kader,Desa,Nama anak,Umur,Nama orang tua\n"
        "17/03/2026 10:00:00,Rina,Rebo,Citra,8 bulan,Sari\n"
        f"15/02/2026 10:00:00,Rina,Rebo,{'A' * 101},8 bulan,Sari\n"
        "kemarin,Rina,Rebo,Dodi,8 bulan,Sari\n"
    )
    out = run(path, "--commit")
    assert "Baris 2: waktu kirim 17-03-2026 di masa depan" in lines(out)
    assert "Baris 3: nama anak lebih dari 100 karakter (101)" in lines(out)
    assert 'Baris 4: waktu kirim "kemarin" tidak dapat dibaca' in lines(out)
    assert not Submission.objects.exists()


def test_a_failure_half_way_leaves_nothing_behind(monkeypatch):
    real = services._record_version
    calls = []

    def fail_on_the_third(submission):
        calls.append(submission.pk)
        if len(calls) == 3:
            raise RuntimeError("disk penuh")
        return real(submission)

    monkeypatch.setattr(services, "_record_version", fail_on_the_third)
    with pytest.raises(RuntimeError):
        run(CSV, "--commit")
    assert not Submission.objects.exists() and not SubmissionVersion.objects.exists()


def test_it_only_matches_active_posyandu(tmp_path, posyandu):
    Posyandu.objects.filter(pk=posyandu.pk).update(is_active=False)
    path = tmp_path / "jawaban.csv"
    path.write_text(
        "Timestamp,Nama kader,Desa,Posyandu,Nama anak,Umur,Nama orang tua\n"
        "15/02/2026 10:00:00,Rina,Matras,Melati,Citra,8 bulan,Sari\n"
    )
    run(path, "--commit")
    assert Submission.objects.values_list("posyandu", "posyandu_other").get() == (None, "Melati")


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("jawaban.txt", b"x", "Berkas jawaban.txt: hanya .csv atau .xlsx (unduhan Google Sheets)."),
        ("jawaban.csv", b"", "Berkas jawaban.csv kosong: tidak ada baris judul kolom."),
        ("jawaban.csv", "Nama;Umur\n\xe9".encode("latin-1"), "Berkas jawaban.csv bukan teks UTF-8"),
        ("jawaban.xlsx", b"not a zip", "Berkas jawaban.xlsx bukan berkas Excel (.xlsx)"),
    ],
)
def test_it_explains_files_it_cannot_read(tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError) as e:
        run(path)
    assert str(e.value).startswith(message)


def test_it_says_when_the_file_is_missing(tmp_path):
    with pytest.raises(CommandError, match="tidak ditemukan"):
        run(tmp_path / "tidak-ada.csv")


def test_dry_run_and_commit_exclude_each_other():
    with pytest.raises(CommandError):
        run(CSV, "--dry-run", "--commit")
    assert not Submission.objects.exists()


def test_the_sample_xlsx_holds_real_date_cells():
    # The XLSX fixture is what Google Sheets downloads: timestamps as date cells.
    workbook = openpyxl.load_workbook(XLSX, read_only=True)
    first = next(workbook.worksheets[0].iter_rows(min_row=2, max_row=2, values_only=True))
    assert first[0] == datetime(2024, 12, 2, 8, 15, 22)
    workbook.close()
