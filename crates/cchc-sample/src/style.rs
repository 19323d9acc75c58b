//! The layout habits of each unit's export (one [`Style`] per unit), and the
//! plan of files for a scale. A style is kept by every file of its unit, so a
//! larger scale repeats the same habits over more periods; every habit of
//! `spec/export-columns.md` and `spec/tthc-rules.md` §6 appears in at least one
//! style.

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};

use super::catalog::{Canon, Level, ALL_CANON, FIRST_COMMUNE, UNITS};
use super::real::Real;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CsvOpts {
    pub bom: bool,
    pub sep: u8,
    pub crlf: bool,
    /// Title and footer lines padded with separators to the table's width.
    pub pad: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fmt {
    Xlsx,
    /// Written as xlsx, converted by LibreOffice when asked and available.
    Xls,
    Ods,
    Csv(CsvOpts),
}

impl Fmt {
    pub fn ext(self) -> &'static str {
        match self {
            Fmt::Xlsx => "xlsx",
            Fmt::Xls => "xls",
            Fmt::Ods => "ods",
            Fmt::Csv(_) => "csv",
        }
    }
}

/// Display of a spreadsheet-native date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateFmt {
    Date,
    DateTimeMin,
    DateTimeSec,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextForm {
    /// dd/mm/yyyy
    Dmy,
    /// dd/mm/yyyy HH:MM
    DmyHm,
    /// dd/mm/yyyy HH:MM:SS
    DmyHms,
    /// HH:MM dd/mm/yyyy
    HmDmy,
    /// dd-mm-yyyy
    DmyDash,
    /// yyyy-mm-dd
    Iso,
    /// yyyy-mm-dd HH:MM:SS
    IsoHms,
}

impl TextForm {
    pub fn render(self, t: NaiveDateTime) -> String {
        let (y, m, d) = (t.year(), t.month(), t.day());
        let (hh, mm, ss) = (t.time().hour(), t.time().minute(), t.time().second());
        match self {
            TextForm::Dmy => format!("{d:02}/{m:02}/{y:04}"),
            TextForm::DmyHm => format!("{d:02}/{m:02}/{y:04} {hh:02}:{mm:02}"),
            TextForm::DmyHms => format!("{d:02}/{m:02}/{y:04} {hh:02}:{mm:02}:{ss:02}"),
            TextForm::HmDmy => format!("{hh:02}:{mm:02} {d:02}/{m:02}/{y:04}"),
            TextForm::DmyDash => format!("{d:02}-{m:02}-{y:04}"),
            TextForm::Iso => format!("{y:04}-{m:02}-{d:02}"),
            TextForm::IsoHms => format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}:{ss:02}"),
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            TextForm::Dmy => "dd/mm/yyyy",
            TextForm::DmyHm => "dd/mm/yyyy HH:MM",
            TextForm::DmyHms => "dd/mm/yyyy HH:MM:SS",
            TextForm::HmDmy => "HH:MM dd/mm/yyyy",
            TextForm::DmyDash => "dd-mm-yyyy",
            TextForm::Iso => "yyyy-mm-dd",
            TextForm::IsoHms => "yyyy-mm-dd HH:MM:SS",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateMode {
    /// A real spreadsheet date (value keeps its time; the format may hide it).
    Native(DateFmt),
    /// A bare serial number in a General-formatted cell.
    Serial { time: bool },
    /// Text.
    Text(TextForm),
}

impl DateMode {
    pub fn describe(self) -> String {
        match self {
            DateMode::Native(DateFmt::Date) => "real date, format dd/mm/yyyy".into(),
            DateMode::Native(DateFmt::DateTimeMin) => {
                "real date-time, format dd/mm/yyyy hh:mm".into()
            }
            DateMode::Native(DateFmt::DateTimeSec) => {
                "real date-time, format dd/mm/yyyy hh:mm:ss".into()
            }
            DateMode::Serial { time: true } => {
                "serial number with time fraction, no date format".into()
            }
            DateMode::Serial { time: false } => "whole serial number, no date format".into(),
            DateMode::Text(f) => format!("text {}", f.describe()),
        }
    }
}

/// How a unit's name is written in a unit column and in titles.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spelling {
    Canonical,
    Upper,
    DoubleSpace,
    /// `UBND xã Bà Điểm` (offices keep their name).
    Ubnd,
    /// `UBND  xã Tân Hiệp`
    UbndDoubleSpace,
    /// `Ủy ban nhân dân xã Tân Xuân`
    Full,
    /// `ỦY BAN NHÂN DÂN XÃ BÀ ĐIỂM`
    FullUpper,
    /// `Trung Chánh`
    NoPrefix,
}

pub fn spell_unit(unit: usize, sp: Spelling) -> String {
    let u = &UNITS[unit];
    let commune = u.level == Level::Xa;
    let kind = u.kind.to_lowercase();
    match sp {
        Spelling::Canonical => u.name.to_string(),
        Spelling::Upper => u.name.to_uppercase(),
        Spelling::DoubleSpace => u.name.replacen(' ', "  ", 1),
        Spelling::Ubnd if commune => format!("UBND {kind} {}", u.short),
        Spelling::UbndDoubleSpace if commune => format!("UBND  {kind} {}", u.short),
        Spelling::Full if commune => format!("Ủy ban nhân dân {kind} {}", u.short),
        Spelling::FullUpper if commune => {
            format!("Ủy ban nhân dân {kind} {}", u.short).to_uppercase()
        }
        Spelling::NoPrefix if commune => u.short.to_string(),
        _ => u.name.to_string(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Titles {
    None,
    Short,
    Full,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sheets {
    DataOnly,
    CoverFirst,
    CoverGuideFirst,
    SummaryAfter,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Footer {
    None,
    Total,
    TotalSigned,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum YesNo {
    CoKhong,
    X,
    OneZero,
    /// `Đã xin lỗi` / `Đã số hóa` / `Chưa`
    DaChua,
    RoiChua,
    /// Real booleans (TRUE/FALSE in CSV).
    Bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Extra {
    GhiChu,
    DiaChi,
    DienThoai,
}

impl Extra {
    pub fn header(self) -> &'static str {
        match self {
            Extra::GhiChu => "Ghi chú",
            Extra::DiaChi => "Địa chỉ",
            Extra::DienThoai => "Số điện thoại",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BadKind {
    NoCode,
    NoReceived,
    NoUnit,
    /// `31/02/2024` as text in the received column.
    ImpossibleDate,
    CompletedBeforeReceived,
    ResolvedNoCompleted,
    /// `dd/mm/yy` text in the received column, day ≤ 12.
    AmbiguousDate,
}

impl BadKind {
    pub const ALL: [BadKind; 7] = [
        BadKind::NoCode,
        BadKind::NoReceived,
        BadKind::NoUnit,
        BadKind::ImpossibleDate,
        BadKind::CompletedBeforeReceived,
        BadKind::ResolvedNoCompleted,
        BadKind::AmbiguousDate,
    ];

    pub fn describe(self) -> &'static str {
        match self {
            BadKind::NoCode => "no dossier code",
            BadKind::NoReceived => "no received date",
            BadKind::NoUnit => "no unit value",
            BadKind::ImpossibleDate => "impossible date 31/02/2024 (text)",
            BadKind::CompletedBeforeReceived => "completed before received",
            BadKind::ResolvedNoCompleted => "resolved status without completed/returned date",
            BadKind::AmbiguousDate => "ambiguous text date dd/mm/yy",
        }
    }
}

/// Optional columns present in a style.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cols {
    pub applicant: bool,
    pub proc_code: bool,
    pub completed: bool,
    pub returned: bool,
    pub apology: bool,
    pub dig_dossier: bool,
    pub dig_result: bool,
    pub fee: bool,
    pub epayment: bool,
}

#[derive(Clone, Debug)]
pub struct Style {
    pub unit: usize,
    pub fmt: Fmt,
    pub unit_col: bool,
    pub spelling: Spelling,
    pub titles: Titles,
    pub merge_titles: bool,
    pub two_row: bool,
    pub col_numbers: bool,
    pub sheets: Sheets,
    pub footer: Footer,
    /// Insert a blank row after about this many data rows (0: never).
    pub blank_every: u32,
    pub stt: bool,
    pub extras: &'static [Extra],
    pub cols: Cols,
    pub upper_headers: bool,
    pub nfd: bool,
    pub old_tone: bool,
    pub recv_mode: DateMode,
    pub date_mode: DateMode,
    pub yesno: YesNo,
    /// Status and channel spellings vary row by row (lists typed by hand);
    /// otherwise one spelling per file (system exports).
    pub hand_typed: bool,
    pub order: u8,
    pub descending: bool,
    pub sheet_name: &'static str,
    pub bad: &'static [BadKind],
    pub long_proc_code: bool,
    /// Commune units whose online civil-status dossiers this export repeats.
    pub guests: &'static [usize],
    /// One alias index per canonical column (see [`assign_aliases`]).
    pub aliases: [usize; 17],
    /// Written in a real system's layout (`real.rs`) instead of the unit's own habits.
    pub real: Option<Real>,
}

fn base(unit: usize) -> Style {
    Style {
        unit,
        fmt: Fmt::Xlsx,
        unit_col: true,
        spelling: Spelling::Canonical,
        titles: Titles::Full,
        merge_titles: true,
        two_row: false,
        col_numbers: false,
        sheets: Sheets::DataOnly,
        footer: Footer::None,
        blank_every: 0,
        stt: true,
        extras: &[],
        cols: Cols {
            completed: true,
            ..Cols::default()
        },
        upper_headers: false,
        nfd: false,
        old_tone: false,
        recv_mode: DateMode::Native(DateFmt::Date),
        date_mode: DateMode::Native(DateFmt::Date),
        yesno: YesNo::CoKhong,
        hand_typed: false,
        order: 0,
        descending: false,
        sheet_name: "Danh sách hồ sơ",
        bad: &[],
        long_proc_code: false,
        guests: &[],
        aliases: [0; 17],
        real: None,
    }
}

const C: usize = FIRST_COMMUNE;
/// Style index of the commune whose list is split into overlapping files.
pub const SPLIT_STYLE: usize = C + 10;
/// Style index of the district office that is re-exported a week later.
pub const REEXPORT_STYLE: usize = 4;

#[cfg(test)]
/// The 24 unit styles, in [`UNITS`] order, as the committed sample writes them (five communes
/// in real systems' layouts).
pub fn styles() -> Vec<Style> {
    styles_for(true)
}

/// The 24 unit styles; without `real_layouts` every unit keeps its own habits (the larger
/// scales, which stay the dossier load tests the benchmark compares across sessions).
pub fn styles_for(real_layouts: bool) -> Vec<Style> {
    use DateFmt as F;
    use DateMode::{Native, Serial, Text};
    let csv = |bom, sep, crlf, pad| {
        Fmt::Csv(CsvOpts {
            bom,
            sep,
            crlf,
            pad,
        })
    };
    let mut v = vec![
        // Văn phòng HĐND và UBND huyện
        Style {
            cols: Cols {
                applicant: true,
                completed: true,
                returned: true,
                ..Cols::default()
            },
            recv_mode: Native(F::DateTimeMin),
            footer: Footer::TotalSigned,
            extras: &[Extra::GhiChu],
            bad: &[BadKind::NoUnit],
            ..base(0)
        },
        // Phòng Nội vụ
        Style {
            two_row: true,
            col_numbers: true,
            cols: Cols {
                completed: true,
                apology: true,
                ..Cols::default()
            },
            yesno: YesNo::OneZero,
            blank_every: 40,
            footer: Footer::Total,
            ..base(1)
        },
        // Phòng Tư pháp: raw system export, header on row 1, repeats commune dossiers
        Style {
            titles: Titles::None,
            spelling: Spelling::Ubnd,
            cols: Cols {
                proc_code: true,
                completed: true,
                returned: true,
                dig_dossier: true,
                dig_result: true,
                fee: true,
                epayment: true,
                ..Cols::default()
            },
            long_proc_code: true,
            recv_mode: Text(TextForm::DmyHms),
            date_mode: Text(TextForm::DmyHms),
            order: 1,
            sheet_name: "Sheet1",
            bad: &[BadKind::NoCode],
            guests: &[C + 1, C + 9],
            ..base(2)
        },
        // Phòng Tài chính - Kế hoạch: cover sheet first, serial numbers
        Style {
            sheets: Sheets::CoverFirst,
            titles: Titles::Short,
            cols: Cols {
                proc_code: true,
                completed: true,
                fee: true,
                epayment: true,
                ..Cols::default()
            },
            recv_mode: Serial { time: true },
            date_mode: Serial { time: false },
            sheet_name: "DS hồ sơ",
            ..base(3)
        },
        // Phòng Tài nguyên và Môi trường: the spec's two-row header; re-exported
        Style {
            two_row: true,
            col_numbers: true,
            footer: Footer::TotalSigned,
            blank_every: 60,
            cols: Cols {
                proc_code: true,
                completed: true,
                returned: true,
                apology: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            yesno: YesNo::DaChua,
            extras: &[Extra::GhiChu],
            bad: &[BadKind::CompletedBeforeReceived],
            ..base(4)
        },
        // Phòng Quản lý đô thị: NFD text, newest first
        Style {
            nfd: true,
            cols: Cols {
                completed: true,
                returned: true,
                apology: true,
                ..Cols::default()
            },
            recv_mode: Native(F::DateTimeMin),
            date_mode: Native(F::DateTimeMin),
            yesno: YesNo::X,
            descending: true,
            bad: &[BadKind::NoReceived],
            ..base(5)
        },
        // Phòng Kinh tế: old tone placement, capitals, ISO text dates
        Style {
            old_tone: true,
            upper_headers: true,
            titles: Titles::Short,
            cols: Cols {
                proc_code: true,
                completed: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::IsoHms),
            date_mode: Text(TextForm::IsoHms),
            order: 2,
            ..base(6)
        },
        // Phòng Lao động - Thương binh và Xã hội: data on the third sheet, booleans
        Style {
            sheets: Sheets::CoverGuideFirst,
            cols: Cols {
                applicant: true,
                completed: true,
                apology: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            yesno: YesNo::Bool,
            footer: Footer::Total,
            bad: &[BadKind::ResolvedNoCompleted],
            ..base(7)
        },
        // Phòng Giáo dục và Đào tạo: summary sheet after the data
        Style {
            sheets: Sheets::SummaryAfter,
            cols: Cols {
                completed: true,
                returned: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::HmDmy),
            date_mode: Text(TextForm::Dmy),
            ..base(8)
        },
        // Phòng Y tế: doubled spaces, dd-mm-yyyy
        Style {
            spelling: Spelling::DoubleSpace,
            merge_titles: false,
            cols: Cols {
                completed: true,
                apology: true,
                fee: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::DmyDash),
            date_mode: Text(TextForm::DmyDash),
            bad: &[BadKind::ImpossibleDate],
            order: 1,
            ..base(9)
        },
        // Phòng Văn hóa và Thông tin: old tone, capitals in values, whole serials
        Style {
            old_tone: true,
            spelling: Spelling::Upper,
            two_row: true,
            recv_mode: Serial { time: false },
            date_mode: Serial { time: false },
            ..base(10)
        },
        // Thanh tra huyện: procedures without appointment, date-times with seconds
        Style {
            cols: Cols {
                proc_code: true,
                completed: true,
                apology: true,
                ..Cols::default()
            },
            recv_mode: Native(F::DateTimeSec),
            date_mode: Native(F::DateTimeSec),
            yesno: YesNo::X,
            footer: Footer::TotalSigned,
            ..base(11)
        },
        // Thị trấn Hóc Môn: in the sample, the Tân Dân system's HTML saved as .xls (real.rs)
        Style {
            real: Some(Real::TanDan),
            two_row: true,
            spelling: Spelling::Ubnd,
            footer: Footer::TotalSigned,
            cols: Cols {
                proc_code: true,
                completed: true,
                returned: true,
                apology: true,
                ..Cols::default()
            },
            hand_typed: true,
            ..base(C)
        },
        // Xã Bà Điểm: CSV, BOM, comma, CRLF, padded titles
        Style {
            fmt: csv(true, b',', true, true),
            spelling: Spelling::FullUpper,
            upper_headers: true,
            titles: Titles::Short,
            cols: Cols {
                completed: true,
                fee: true,
                epayment: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::Dmy),
            date_mode: Text(TextForm::Dmy),
            bad: &[BadKind::NoCode],
            hand_typed: true,
            ..base(C + 1)
        },
        // Xã Đông Thạnh: in the sample, OpenCPS's list (real.rs); elsewhere ODS with merged two-row header
        Style {
            real: Some(Real::OpenCps),
            fmt: Fmt::Ods,
            two_row: true,
            footer: Footer::Total,
            cols: Cols {
                completed: true,
                returned: true,
                dig_dossier: true,
                ..Cols::default()
            },
            yesno: YesNo::OneZero,
            bad: &[BadKind::ImpossibleDate],
            hand_typed: true,
            sheet_name: "Sổ theo dõi",
            ..base(C + 2)
        },
        // Xã Nhị Bình: CSV without unit column, semicolon, no BOM, NFD; only a returned date
        Style {
            fmt: csv(false, b';', false, false),
            unit_col: false,
            nfd: true,
            titles: Titles::Short,
            cols: Cols {
                applicant: true,
                completed: false,
                returned: true,
                fee: true,
                epayment: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::DmyHm),
            date_mode: Text(TextForm::DmyHm),
            extras: &[Extra::DienThoai],
            bad: &[BadKind::NoReceived],
            hand_typed: true,
            order: 2,
            ..base(C + 3)
        },
        // Xã Tân Hiệp: in the sample, VNPT iGate's list in xlsx (real.rs); elsewhere NFD, doubled spaces, text dates in xlsx
        Style {
            real: Some(Real::IgateXlsx),
            nfd: true,
            spelling: Spelling::UbndDoubleSpace,
            col_numbers: true,
            cols: Cols {
                completed: true,
                apology: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::Dmy),
            date_mode: Text(TextForm::Dmy),
            yesno: YesNo::X,
            bad: &[BadKind::NoUnit],
            hand_typed: true,
            ..base(C + 4)
        },
        // Xã Tân Thới Nhì: ODS without unit column
        Style {
            two_row: true,
            fmt: Fmt::Ods,
            unit_col: false,
            cols: Cols {
                applicant: true,
                completed: true,
                fee: true,
                epayment: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            recv_mode: Native(F::DateTimeMin),
            date_mode: Native(F::DateTimeMin),
            blank_every: 30,
            footer: Footer::TotalSigned,
            extras: &[Extra::DiaChi],
            bad: &[BadKind::ResolvedNoCompleted],
            hand_typed: true,
            order: 1,
            ..base(C + 5)
        },
        // Xã Tân Xuân: the one .xls
        Style {
            fmt: Fmt::Xls,
            hand_typed: true,
            old_tone: true,
            spelling: Spelling::Full,
            two_row: true,
            cols: Cols {
                completed: true,
                returned: true,
                fee: true,
                epayment: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            ..base(C + 6)
        },
        // Xã Thới Tam Thôn: xlsx without unit column, cover sheet, ISO text dates
        Style {
            unit_col: false,
            sheets: Sheets::CoverFirst,
            cols: Cols {
                completed: true,
                apology: true,
                fee: true,
                epayment: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            recv_mode: Text(TextForm::Iso),
            date_mode: Text(TextForm::Iso),
            hand_typed: true,
            ..base(C + 7)
        },
        // Xã Trung Chánh: in the sample, VNPT iGate's CSV with a BOM (real.rs); elsewhere CSV, BOM, semicolon, no titles, TRUE/FALSE
        Style {
            real: Some(Real::IgateCsv),
            fmt: csv(true, b';', true, false),
            spelling: Spelling::NoPrefix,
            titles: Titles::None,
            cols: Cols {
                completed: true,
                dig_dossier: true,
                ..Cols::default()
            },
            yesno: YesNo::Bool,
            recv_mode: Text(TextForm::DmyDash),
            date_mode: Text(TextForm::DmyDash),
            bad: &[BadKind::AmbiguousDate],
            hand_typed: true,
            order: 2,
            ..base(C + 8)
        },
        // Xã Xuân Thới Đông: old tone, Rồi/Chưa
        Style {
            spelling: Spelling::NoPrefix,
            old_tone: true,
            titles: Titles::Short,
            cols: Cols {
                applicant: true,
                completed: true,
                returned: true,
                apology: true,
                dig_dossier: true,
                fee: true,
                epayment: true,
                dig_result: true,
                ..Cols::default()
            },
            yesno: YesNo::RoiChua,
            bad: &[BadKind::CompletedBeforeReceived],
            hand_typed: true,
            ..base(C + 9)
        },
        // Xã Xuân Thới Sơn: CSV split in overlapping periods
        Style {
            spelling: Spelling::UbndDoubleSpace,
            cols: Cols {
                completed: true,
                fee: true,
                epayment: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            fmt: csv(false, b',', false, false),
            footer: Footer::Total,
            recv_mode: Text(TextForm::Dmy),
            date_mode: Text(TextForm::Dmy),
            bad: &[BadKind::ImpossibleDate, BadKind::AmbiguousDate],
            hand_typed: true,
            ..base(C + 10)
        },
        // Xã Xuân Thới Thượng: in the sample, the older one-stop software's «Web Page» (real.rs); elsewhere everything at once in xlsx
        Style {
            real: Some(Real::OldSoftware),
            two_row: true,
            col_numbers: true,
            upper_headers: true,
            cols: Cols {
                applicant: true,
                completed: true,
                returned: true,
                dig_dossier: true,
                dig_result: true,
                ..Cols::default()
            },
            yesno: YesNo::X,
            recv_mode: Serial { time: true },
            date_mode: Serial { time: false },
            blank_every: 50,
            extras: &[Extra::GhiChu],
            bad: &[BadKind::NoCode],
            ..base(C + 11)
        },
    ];
    if !real_layouts {
        for s in &mut v {
            s.real = None;
        }
    }
    assign_aliases(&mut v);
    v
}

pub fn has_col(s: &Style, c: Canon) -> bool {
    let k = &s.cols;
    match c {
        Canon::DossierId | Canon::Field | Canon::Procedure | Canon::Received | Canon::Due => true,
        Canon::Status | Canon::Channel => true,
        Canon::Unit => s.unit_col,
        Canon::ProcedureCode => k.proc_code,
        Canon::Applicant => k.applicant,
        Canon::Completed => k.completed,
        Canon::Returned => k.returned,
        Canon::Apology => k.apology,
        Canon::DigitizedDossier => k.dig_dossier,
        Canon::DigitizedResult => k.dig_result,
        Canon::Fee => k.fee,
        Canon::Epayment => k.epayment,
    }
}

/// Each style uses one header alias per column; across the styles that have a
/// column, its aliases are used in turn, so every alias appears somewhere.
pub fn assign_aliases(styles: &mut [Style]) {
    for (ci, &c) in ALL_CANON.iter().enumerate() {
        let n = c.aliases().len();
        let mut k = 0;
        for s in styles.iter_mut() {
            if s.real.is_none() && has_col(s, c) {
                s.aliases[ci] = k % n;
                k += 1;
            }
        }
    }
}

pub fn header_of(s: &Style, c: Canon) -> &'static str {
    let ci = ALL_CANON.iter().position(|&x| x == c).expect("canon");
    c.aliases()[s.aliases[ci]]
}

/// One file to write.
#[derive(Clone, Debug)]
pub struct FileSpec {
    pub style: usize,
    pub name: String,
    /// Dossiers received in [from, to] are listed.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Own dossiers received on or after this day are counted as new dossiers
    /// in the summary (`None`: a copy of dossiers counted elsewhere).
    pub primary_from: Option<NaiveDate>,
    pub as_of: NaiveDateTime,
    pub reexport_of: Option<String>,
}

fn stamp(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

fn at(d: NaiveDate, h: u32, m: u32) -> NaiveDateTime {
    d.and_time(NaiveTime::from_hms_opt(h, m, 0).expect("time"))
}

fn file_name(s: &Style, from: NaiveDate, to: NaiveDate) -> String {
    let u = &UNITS[s.unit];
    let slug = u.slug;
    let range = format!("{}-{}", stamp(from), stamp(to));
    let ext = s.real.map_or(s.fmt.ext(), Real::ext);
    if u.level == Level::Huyen {
        format!("tthc-{slug}-{range}.{ext}")
    } else if s.unit_col {
        format!("motcua-{slug}-{range}.{ext}")
    } else {
        format!("xa-{slug}-{range}.{ext}")
    }
}

/// When each unit exports: district offices the next morning, communes 0–3
/// days after the end of the period.
fn as_of_for(style: usize, to: NaiveDate) -> NaiveDateTime {
    let lag = if style < FIRST_COMMUNE {
        1
    } else {
        (style % 4) as i64
    };
    let minute = (style * 7 % 50) as u32;
    if lag == 0 {
        at(to, 17, minute)
    } else {
        at(to + Duration::days(lag), 8, minute)
    }
}

/// The files for the given periods.
pub fn plan(styles: &[Style], periods: &[(NaiveDate, NaiveDate)]) -> Vec<FileSpec> {
    let mut out = Vec::new();
    for (pi, &(from, to)) in periods.iter().enumerate() {
        for (si, s) in styles.iter().enumerate() {
            if si == SPLIT_STYLE && periods.len() == 1 {
                // One commune list kept in two files whose ranges overlap by a week.
                let split = NaiveDate::from_ymd_opt(to.year() - 1, 12, 31)
                    .filter(|d| *d > from && *d < to)
                    .unwrap_or(from + Duration::days((to - from).num_days() / 2));
                let second_from = split - Duration::days(6);
                out.push(FileSpec {
                    style: si,
                    name: file_name(s, from, split),
                    from,
                    to: split,
                    primary_from: Some(from),
                    as_of: at(split + Duration::days(2), 9, 5),
                    reexport_of: None,
                });
                out.push(FileSpec {
                    style: si,
                    name: file_name(s, second_from, to),
                    from: second_from,
                    to,
                    primary_from: Some(split + Duration::days(1)),
                    as_of: as_of_for(si, to),
                    reexport_of: None,
                });
                continue;
            }
            let listed_from = if si == SPLIT_STYLE && pi > 0 {
                from - Duration::days(7)
            } else {
                from
            };
            out.push(FileSpec {
                style: si,
                name: file_name(s, listed_from, to),
                from: listed_from,
                to,
                primary_from: Some(from),
                as_of: as_of_for(si, to),
                reexport_of: None,
            });
        }
    }
    // The system export of one office, taken again a week later for the last
    // weeks of the last period.
    if let Some(&(from, to)) = periods.last() {
        let s = &styles[REEXPORT_STYLE];
        let re_from = (to - Duration::days(45)).max(from);
        let original = out
            .iter()
            .find(|f| f.style == REEXPORT_STYLE && f.to == to)
            .map(|f| (f.name.clone(), f.as_of));
        if let Some((orig_name, orig_as_of)) = original {
            let as_of = orig_as_of + Duration::days(7);
            let name = file_name(s, re_from, to)
                .replace(".xlsx", &format!("-xuat-lai-{}.xlsx", stamp(as_of.date())));
            out.push(FileSpec {
                style: REEXPORT_STYLE,
                name,
                from: re_from,
                to,
                primary_from: None,
                as_of,
                reexport_of: Some(orig_name),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_is_used() {
        let st = styles();
        assert_eq!(st.len(), UNITS.len());
        for (i, s) in st.iter().enumerate() {
            assert_eq!(s.unit, i, "style order follows UNITS");
        }
        for (ci, &c) in ALL_CANON.iter().enumerate() {
            for (ai, alias) in c.aliases().iter().enumerate() {
                assert!(
                    st.iter()
                        .any(|s| s.real.is_none() && has_col(s, c) && s.aliases[ci] == ai),
                    "alias {alias} of {c:?} unused"
                );
            }
        }
        assert_eq!(st.iter().filter(|s| !s.unit_col).count(), 3);
        assert!(st
            .iter()
            .all(|s| s.unit_col || UNITS[s.unit].level == Level::Xa));
        for kind in BadKind::ALL {
            assert!(st.iter().any(|s| s.bad.contains(&kind)), "{kind:?}");
        }
        for s in &st {
            if s.bad.contains(&BadKind::NoUnit) {
                assert!(s.unit_col);
            }
        }
    }

    #[test]
    fn unit_spellings() {
        assert_eq!(spell_unit(C + 1, Spelling::Ubnd), "UBND xã Bà Điểm");
        assert_eq!(
            spell_unit(C + 1, Spelling::FullUpper),
            "ỦY BAN NHÂN DÂN XÃ BÀ ĐIỂM"
        );
        assert_eq!(spell_unit(C, Spelling::Ubnd), "UBND thị trấn Hóc Môn");
        assert_eq!(spell_unit(C + 8, Spelling::NoPrefix), "Trung Chánh");
        assert_eq!(spell_unit(9, Spelling::DoubleSpace), "Phòng  Y tế");
        assert_eq!(spell_unit(2, Spelling::Ubnd), "Phòng Tư pháp");
    }
}
