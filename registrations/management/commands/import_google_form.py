from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from registrations import google_form
from registrations.google_form import ImportFileError, PlaceRef, RowError
from registrations.models import Posyandu, Submission, Village
from registrations.services import submissions_import_google_form


class Command(BaseCommand):
    help = (
        "Impor jawaban Google Form GASKEN (unduhan Google Sheets, .csv atau .xlsx) sebagai "
        "laporan yang menunggu verifikasi. Tanpa --commit hanya uji coba: menampilkan baris "
        "yang akan diimpor dan baris yang tidak dapat diimpor beserta alasannya."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="berkas .csv atau .xlsx dari Google Sheets")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help="Uji coba (bawaan): tampilkan hasilnya, tidak ada yang disimpan.",
        )
        mode.add_argument(
            "--commit", action="store_true", help="Simpan laporan dari baris yang dapat diimpor."
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="JUDUL=ISIAN",
            help=(
                'Kolom yang judulnya tidak dikenali: --map "Nama Balita Stunting=nama_anak" '
                f"(isian: {', '.join(google_form.COLUMNS_BY_KEY)}; '-' mengabaikan kolom). "
                "Boleh diulang."
            ),
        )

    def handle(self, *args, file, commit, map, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Berkas {file} tidak ditemukan.")
        try:
            mapping = google_form.parse_map(map)
            headers, rows = google_form.read_table(path)
            matched = google_form.match_headers(headers, mapping)
            stamps = [
                r[matched.columns["waktu"]] for r in rows if len(r) > matched.columns["waktu"]
            ]
            order = google_form.date_order(stamps)
        except ImportFileError as e:
            raise CommandError(str(e)) from e

        as_text = any(isinstance(stamp, str) and stamp.strip() for stamp in stamps)
        self._describe_columns(path, headers, matched, order if as_text else None)
        parsed, failed = self._parse(rows, headers, matched, order)

        # Numbers, places and ages only: this output is kept in terminals and logs, the
        # children's and parents' names do not belong there.
        stored = set(
            Submission.objects.filter(import_key__in=[p.key for p in parsed]).values_list(
                "import_key", flat=True
            )
        )
        new, seen = [], {}
        for row in parsed:
            if row.key in stored:
                failed.append((row.number, "sudah diimpor sebelumnya"))
            elif row.key in seen:
                failed.append((row.number, f"sama dengan baris {seen[row.key]}"))
            else:
                seen[row.key] = row.number
                new.append(row)

        verb = "Diimpor" if commit else "Akan diimpor"
        self.stdout.write(f"\n{verb} ({len(new)}):")
        village_names = {v.code: str(v) for v in Village.objects.all()}
        for row in new:
            self.stdout.write("  " + _describe(row, village_names))
        failed.sort()
        self.stdout.write(f"\nTidak diimpor ({len(failed)}):")
        for number, reason in failed:
            self.stdout.write(f"  Baris {number}: {reason}")

        if not commit:
            self.stdout.write(
                f"\nUji coba: tidak ada yang disimpan. Jalankan lagi dengan --commit untuk "
                f"mengimpor {len(new)} laporan."
            )
            return
        created = submissions_import_google_form(rows=new)
        self.stdout.write(
            self.style.SUCCESS(
                f"\n{len(created)} laporan diimpor ke antrean verifikasi "
                "(ditandai “impor Google Form”)."
            )
        )

    def _describe_columns(self, path, headers, matched, order):
        self.stdout.write(f"Berkas {path.name}: {len(headers)} kolom.")
        for key, index in sorted(matched.columns.items(), key=lambda kv: kv[1]):
            label = google_form.COLUMNS_BY_KEY[key].label
            self.stdout.write(f"  Kolom “{headers[index]}” → {label}")
        if matched.unused:
            unused = ", ".join(f"“{h}”" for h in matched.unused)
            self.stdout.write(f"  Kolom tidak dipakai (tetap disimpan di data asli): {unused}")
        if order:
            day_month = "hari/bulan/tahun" if order == "dmy" else "bulan/hari/tahun"
            self.stdout.write(f"  Tanggal dibaca sebagai {day_month}.")

    def _parse(self, rows, headers, matched, order):
        villages = [PlaceRef(v.code, v.name) for v in Village.objects.order_by("name")]
        posyandu = [
            PlaceRef(p.code, p.name, p.village.code)
            for p in Posyandu.objects.active().select_related("village")
        ]
        today = timezone.localdate()
        parsed, failed = [], []
        for number, cells in enumerate(rows, start=2):
            if google_form.is_blank(cells):
                continue
            try:
                parsed.append(
                    google_form.parse_row(
                        number,
                        cells,
                        headers=headers,
                        columns=matched.columns,
                        order=order,
                        villages=villages,
                        posyandu=posyandu,
                        today=today,
                    )
                )
            except RowError as e:
                failed.append((number, str(e)))
        return parsed, failed


def _describe(row, village_names):
    parts = [
        f"Baris {row.number}: dikirim {row.created_at:%d-%m-%Y %H:%M}",
        village_names[row.village_code],
    ]
    if row.birth_date_estimated:
        parts.append(f"umur “{row.age_text}” → lahir ±{row.birth_date:%d-%m-%Y} (perkiraan)")
    else:
        parts.append(f"lahir {row.birth_date:%d-%m-%Y}")
    parts.append(f"{len(row.links)} tautan berkas")
    text = ", ".join(parts)
    if row.notes:
        text += " – " + "; ".join(row.notes)
    return text
