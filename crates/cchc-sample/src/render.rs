//! Turns one [`FileSpec`] into a format-independent workbook model: title
//! lines, header rows with merges, data rows, blank rows, footers, cover and
//! summary sheets, bad rows. The writers in `write.rs` only lay it out.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate, NaiveDateTime};
use unicode_normalization::UnicodeNormalization;

use super::catalog::{Canon, Channel, Level, Status, UNITS};
use super::dossier::{day_dossiers, Dossier, View};
use super::rng::{derive, SplitMix64};
use super::style::{
    header_of, spell_unit, BadKind, DateFmt, DateMode, Extra, FileSpec, Fmt, Footer, Sheets,
    Spelling, Style, TextForm, Titles, YesNo,
};

#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    /// A number; `true`: shown with thousands separators.
    Num(f64, bool),
    Bool(bool),
    Date(NaiveDateTime, DateFmt),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowKind {
    Title,
    Header,
    Data,
    Blank,
    Footer,
}

#[derive(Clone, Debug)]
pub struct Row {
    pub kind: RowKind,
    pub cells: Vec<Cell>,
}

/// A merged range, inclusive; the text is in the top-left cell.
#[derive(Clone, Copy, Debug)]
pub struct Merge {
    pub r0: usize,
    pub c0: usize,
    pub r1: usize,
    pub c1: usize,
}

#[derive(Clone, Debug)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Row>,
    pub merges: Vec<Merge>,
    pub widths: Vec<f64>,
}

#[derive(Clone, Debug)]
pub struct Book {
    pub sheets: Vec<Sheet>,
    /// Index of the sheet holding the dossier list.
    pub data_sheet: usize,
    pub created: NaiveDateTime,
    pub title: String,
}

/// What a file holds, for the summary.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub rows: usize,
    pub new_dossiers: usize,
    pub bad: Vec<(BadKind, usize)>,
    pub guests: usize,
}

/// Per-file text habits: NFD, old tone placement.
#[derive(Clone, Copy, Debug)]
pub struct Tx {
    pub nfd: bool,
    pub old_tone: bool,
}

const TONED: [[char; 5]; 10] = [
    ['ò', 'ó', 'ỏ', 'õ', 'ọ'],
    ['Ò', 'Ó', 'Ỏ', 'Õ', 'Ọ'],
    ['ù', 'ú', 'ủ', 'ũ', 'ụ'],
    ['Ù', 'Ú', 'Ủ', 'Ũ', 'Ụ'],
    ['à', 'á', 'ả', 'ã', 'ạ'],
    ['À', 'Á', 'Ả', 'Ã', 'Ạ'],
    ['è', 'é', 'ẻ', 'ẽ', 'ẹ'],
    ['È', 'É', 'Ẻ', 'Ẽ', 'Ẹ'],
    ['ỳ', 'ý', 'ỷ', 'ỹ', 'ỵ'],
    ['Ỳ', 'Ý', 'Ỷ', 'Ỹ', 'Ỵ'],
];
const PLAIN: [char; 10] = ['o', 'O', 'u', 'U', 'a', 'A', 'e', 'E', 'y', 'Y'];

fn toned(c: char) -> Option<(usize, usize)> {
    TONED
        .iter()
        .enumerate()
        .find_map(|(row, r)| r.iter().position(|&x| x == c).map(|t| (row, t)))
}

/// Moves the tone of `oa`, `oe`, `uy` (open syllables, not after `q`) to the
/// second vowel: Hòa → Hoà, Thủy → Thuỷ, Ủy → Uỷ, khỏe → khoẻ.
pub fn old_tone(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    for i in 0..c.len().saturating_sub(1) {
        let Some((row, tone)) = toned(c[i]) else {
            continue;
        };
        let next = c[i + 1];
        let partner_rows: &[usize] = match row {
            0 | 1 => &[4, 5, 6, 7],
            2 | 3 => &[8, 9],
            _ => continue,
        };
        let Some(&prow) = partner_rows.iter().find(|&&r| PLAIN[r] == next) else {
            continue;
        };
        let open = c.get(i + 2).is_none_or(|x| !x.is_alphabetic());
        let after_q = i > 0 && matches!(c[i - 1], 'q' | 'Q');
        if open && !after_q {
            c[i] = PLAIN[row];
            c[i + 1] = TONED[prow][tone];
        }
    }
    c.into_iter().collect()
}

impl Tx {
    pub fn apply(&self, s: &str) -> String {
        let s = if self.old_tone {
            old_tone(s)
        } else {
            s.to_string()
        };
        if self.nfd {
            s.nfd().collect()
        } else {
            s
        }
    }

    pub fn text(&self, s: &str) -> Cell {
        Cell::Text(self.apply(s))
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColKind {
    Stt,
    Canon(Canon),
    Extra(Extra),
}

fn columns(s: &Style) -> Vec<(ColKind, String)> {
    use Canon::*;
    let order: &[Canon] = match s.order {
        0 => &[
            DossierId,
            Applicant,
            Unit,
            Field,
            ProcedureCode,
            Procedure,
            Received,
            Due,
            Completed,
            Returned,
            Status,
            Channel,
            Apology,
            DigitizedDossier,
            DigitizedResult,
            Fee,
            Epayment,
        ],
        1 => &[
            DossierId,
            Procedure,
            ProcedureCode,
            Field,
            Unit,
            Applicant,
            Channel,
            Received,
            Due,
            Completed,
            Returned,
            Status,
            DigitizedDossier,
            DigitizedResult,
            Fee,
            Epayment,
            Apology,
        ],
        _ => &[
            Unit,
            Field,
            Procedure,
            ProcedureCode,
            DossierId,
            Applicant,
            Status,
            Received,
            Due,
            Completed,
            Returned,
            Channel,
            Apology,
            DigitizedDossier,
            DigitizedResult,
            Fee,
            Epayment,
        ],
    };
    let mut cols = Vec::new();
    if s.stt {
        cols.push((ColKind::Stt, "STT".to_string()));
    }
    for &c in order {
        if super::style::has_col(s, c) {
            cols.push((ColKind::Canon(c), header_of(s, c).to_string()));
        }
    }
    // Order 2 keeps its unknown columns in the middle, after the status.
    let at = if s.order == 2 {
        cols.iter()
            .position(|(k, _)| *k == ColKind::Canon(Canon::Status))
            .map_or(cols.len(), |p| p + 1)
    } else {
        cols.len()
    };
    for (i, &e) in s.extras.iter().enumerate() {
        cols.insert(at + i, (ColKind::Extra(e), e.header().to_string()));
    }
    cols
}

fn width_of(k: ColKind) -> f64 {
    match k {
        ColKind::Stt => 6.0,
        ColKind::Canon(Canon::DossierId) => 27.0,
        ColKind::Canon(Canon::Procedure) => 55.0,
        ColKind::Canon(Canon::Unit) | ColKind::Canon(Canon::Field) => 28.0,
        ColKind::Canon(Canon::Applicant) | ColKind::Extra(Extra::DiaChi) => 30.0,
        ColKind::Canon(c) if c.is_date() => 19.0,
        _ => 16.0,
    }
}

fn capitalize(s: &str) -> String {
    let mut it = s.chars();
    match it.next() {
        Some(f) => f.to_uppercase().chain(it).collect(),
        None => String::new(),
    }
}

/// Header rows (one, or two with merges) for the columns, starting at row `r`.
fn header_rows(s: &Style, tx: Tx, cols: &[(ColKind, String)], r: usize) -> (Vec<Row>, Vec<Merge>) {
    let show = |h: &str| {
        let h = if s.upper_headers {
            h.to_uppercase()
        } else {
            h.to_string()
        };
        tx.text(&h)
    };
    if !s.two_row {
        let cells = cols.iter().map(|(_, h)| show(h)).collect();
        return (
            vec![Row {
                kind: RowKind::Header,
                cells,
            }],
            Vec::new(),
        );
    }
    let n = cols.len();
    let mut top = vec![Cell::Empty; n];
    let mut bottom = vec![Cell::Empty; n];
    let mut merges = Vec::new();
    let prefix_of = |h: &str| ["Ngày ", "Số hóa "].into_iter().find(|p| h.starts_with(p));
    let mut i = 0;
    while i < n {
        let p = prefix_of(&cols[i].1);
        let mut j = i + 1;
        if let Some(p) = p {
            while j < n && prefix_of(&cols[j].1) == Some(p) {
                j += 1;
            }
        }
        if let Some(p) = p.filter(|_| j - i >= 2) {
            top[i] = show(p.trim());
            merges.push(Merge {
                r0: r,
                c0: i,
                r1: r,
                c1: j - 1,
            });
            for (k, col) in cols.iter().enumerate().take(j).skip(i) {
                bottom[k] = show(&capitalize(&col.1[p.len()..]));
            }
            i = j;
        } else {
            top[i] = show(&cols[i].1);
            merges.push(Merge {
                r0: r,
                c0: i,
                r1: r + 1,
                c1: i,
            });
            i += 1;
        }
    }
    (
        vec![
            Row {
                kind: RowKind::Header,
                cells: top,
            },
            Row {
                kind: RowKind::Header,
                cells: bottom,
            },
        ],
        merges,
    )
}

fn excel_serial(t: NaiveDateTime) -> f64 {
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)
        .expect("epoch")
        .and_hms_opt(0, 0, 0)
        .expect("epoch");
    let secs = (t - epoch).num_seconds();
    secs as f64 / 86_400.0
}

fn date_cell(mode: DateMode, t: NaiveDateTime) -> Cell {
    match mode {
        DateMode::Native(f) => Cell::Date(t, f),
        DateMode::Serial { time: true } => {
            // Seconds dropped: serials in exports carry minutes.
            Cell::Num((excel_serial(t) * 1440.0).floor() / 1440.0, false)
        }
        DateMode::Serial { time: false } => Cell::Num(excel_serial(t).floor(), false),
        DateMode::Text(f) => Cell::Text(f.render(t)),
    }
}

fn yes_no(y: YesNo, value: bool, apology: bool) -> Cell {
    let t = |s: &str| Cell::Text(s.to_string());
    match (y, value) {
        (YesNo::CoKhong, true) => t("Có"),
        (YesNo::CoKhong, false) => t("Không"),
        (YesNo::X, true) => t("x"),
        (YesNo::X, false) => Cell::Empty,
        (YesNo::OneZero, v) => Cell::Num(if v { 1.0 } else { 0.0 }, false),
        (YesNo::DaChua, true) if apology => t("Đã xin lỗi"),
        (YesNo::DaChua, true) => t("Đã số hóa"),
        (YesNo::DaChua, false) | (YesNo::RoiChua, false) => t("Chưa"),
        (YesNo::RoiChua, true) => t("Rồi"),
        (YesNo::Bool, v) => Cell::Bool(v),
    }
}

/// Everything needed to render one file.
pub struct Ctx<'a> {
    pub seed: u64,
    pub per_workday: f64,
    pub style: &'a Style,
    pub spec: &'a FileSpec,
    pub bad_rate: f64,
}

fn name_hash(s: &str) -> u64 {
    // FNV-1a: a stable per-file label for the PRNG.
    s.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Whether a commune dossier is repeated in a district system export.
fn is_guest(x: &Dossier) -> bool {
    matches!(x.field(), "Hộ tịch" | "Chứng thực")
        && x.channel == Channel::Online
        && x.salt.is_multiple_of(4)
}

pub fn collect(ctx: &Ctx, counts: &mut Counts) -> Vec<Dossier> {
    let mut out = Vec::new();
    let mut d = ctx.spec.from;
    while d <= ctx.spec.to {
        let own = day_dossiers(ctx.seed, ctx.style.unit, d, ctx.per_workday);
        if ctx.spec.primary_from.is_some_and(|p| d >= p) {
            counts.new_dossiers += own.len();
        }
        out.extend(own.into_iter().filter(|x| x.received <= ctx.spec.as_of));
        for &g in ctx.style.guests {
            let before = out.len();
            out.extend(
                day_dossiers(ctx.seed, g, d, ctx.per_workday)
                    .into_iter()
                    .filter(|x| is_guest(x) && x.received <= ctx.spec.as_of),
            );
            counts.guests += out.len() - before;
        }
        d += Duration::days(1);
    }
    out.sort_by(|a, b| {
        a.received
            .cmp(&b.received)
            .then_with(|| a.code.cmp(&b.code))
    });
    if ctx.style.descending {
        out.reverse();
    }
    out
}

/// Which spelling of a status or channel a row uses. System exports use one
/// spelling per value; hand-kept lists go through all of them in turn (from a
/// per-unit offset), so every spelling of the vocabulary shows up in the set.
#[derive(Default)]
struct Spellings {
    status: [usize; 7],
    channel: [usize; 3],
}

impl Spellings {
    fn pick(&self, s: &Style, used: usize, len: usize, salt: usize) -> usize {
        if s.hand_typed {
            // Offsets spread so that the hand-kept lists (fewer since five communes write real
            // systems' layouts) still show every spelling of the rare statuses (refused,
            // withdrawn) for the seeds `sample_uses_the_whole_vocabulary` tries.
            (used + s.unit / 2 + 2) % len
        } else {
            (s.unit + salt) % len
        }
    }

    fn status(&mut self, s: &Style, st: Status) -> String {
        let sp = st.spellings();
        let k = st as usize;
        let i = self.pick(s, self.status[k], sp.len(), 0);
        self.status[k] += 1;
        sp[i].to_string()
    }

    fn channel(&mut self, s: &Style, ch: Channel) -> String {
        let sp = ch.spellings();
        let k = ch as usize;
        let i = self.pick(s, self.channel[k], sp.len(), 1);
        self.channel[k] += 1;
        sp[i].to_string()
    }
}

fn proc_code(s: &Style, code: &str) -> String {
    if s.long_proc_code {
        format!("{code}.000.00.00.H29")
    } else {
        code.to_string()
    }
}

fn data_row(
    ctx: &Ctx,
    spell: &mut Spellings,
    tx: Tx,
    cols: &[(ColKind, String)],
    x: &Dossier,
    v: &View,
    stt: usize,
) -> Vec<Cell> {
    let s = ctx.style;
    let epay_by_kind = header_of(s, Canon::Epayment) == "Hình thức thanh toán";
    cols.iter()
        .map(|(k, _)| match *k {
            ColKind::Stt => Cell::Num(stt as f64, false),
            ColKind::Extra(Extra::GhiChu) => x.note.map_or(Cell::Empty, |n| tx.text(n)),
            ColKind::Extra(Extra::DiaChi) => tx.text(&x.address),
            ColKind::Extra(Extra::DienThoai) => Cell::Text(x.phone.clone()),
            ColKind::Canon(c) => match c {
                Canon::DossierId => Cell::Text(x.code.clone()),
                Canon::Unit => {
                    let own = x.unit == s.unit;
                    let mut sp = s.spelling;
                    if !own && UNITS[x.unit].level == Level::Xa && sp == Spelling::Canonical {
                        sp = Spelling::Ubnd;
                    }
                    tx.text(&spell_unit(x.unit, sp))
                }
                Canon::Field => tx.text(x.field()),
                Canon::Procedure => tx.text(x.proc.name),
                Canon::ProcedureCode => Cell::Text(proc_code(s, x.proc.code)),
                Canon::Applicant => tx.text(&x.applicant),
                Canon::Received => date_cell(s.recv_mode, x.received),
                Canon::Due => x.due.map_or(Cell::Empty, |t| date_cell(s.date_mode, t)),
                Canon::Completed => v
                    .completed
                    .map_or(Cell::Empty, |t| date_cell(s.date_mode, t)),
                Canon::Returned => {
                    // A list without a completed column records the result day as its return day.
                    let r = if s.cols.completed {
                        v.returned
                    } else {
                        v.returned.or(v.completed)
                    };
                    r.map_or(Cell::Empty, |t| date_cell(s.date_mode, t))
                }
                Canon::Status => {
                    // Hand-kept lists often leave open dossiers at "received".
                    let st = if s.hand_typed
                        && v.status == Status::Processing
                        && x.salt.is_multiple_of(2)
                    {
                        Status::Received
                    } else {
                        v.status
                    };
                    tx.text(&spell.status(s, st))
                }
                Canon::Channel => tx.text(&spell.channel(s, x.channel)),
                Canon::Apology => {
                    if v.late && v.status != Status::Supplement {
                        if x.apology {
                            tx_cell(tx, yes_no(s.yesno, true, true))
                        } else if x.salt.is_multiple_of(3) {
                            Cell::Empty
                        } else {
                            tx_cell(tx, yes_no(s.yesno, false, true))
                        }
                    } else {
                        Cell::Empty
                    }
                }
                Canon::DigitizedDossier => tx_cell(tx, yes_no(s.yesno, x.digitized_dossier, false)),
                Canon::DigitizedResult => {
                    if v.resolved {
                        tx_cell(tx, yes_no(s.yesno, x.digitized_result, false))
                    } else {
                        Cell::Empty
                    }
                }
                Canon::Fee => Cell::Num(f64::from(x.fee), true),
                Canon::Epayment => match (x.fee > 0, epay_by_kind, x.epaid) {
                    (false, _, _) => Cell::Empty,
                    (true, true, true) => tx.text("Trực tuyến"),
                    (true, true, false) => tx.text("Tiền mặt"),
                    (true, false, e) => tx_cell(tx, yes_no(s.yesno, e, false)),
                },
            },
        })
        .collect()
}

fn tx_cell(tx: Tx, c: Cell) -> Cell {
    match c {
        Cell::Text(t) => tx.text(&t),
        other => other,
    }
}

fn col_of(cols: &[(ColKind, String)], c: Canon) -> Option<usize> {
    cols.iter().position(|(k, _)| *k == ColKind::Canon(c))
}

/// Turns a good row into a bad one of the given kind; `false` if this row
/// cannot carry that defect.
fn make_bad(
    kind: BadKind,
    style: &Style,
    cols: &[(ColKind, String)],
    row: &mut [Cell],
    x: &Dossier,
    v: &View,
    tx: Tx,
) -> bool {
    let set = |row: &mut [Cell], c: Canon, cell: Cell| -> bool {
        match col_of(cols, c) {
            Some(i) => {
                row[i] = cell;
                true
            }
            None => false,
        }
    };
    let completed_col = if style.cols.completed {
        Canon::Completed
    } else {
        Canon::Returned
    };
    match kind {
        BadKind::NoCode => set(row, Canon::DossierId, Cell::Empty),
        BadKind::NoReceived => set(row, Canon::Received, Cell::Empty),
        BadKind::NoUnit => set(row, Canon::Unit, Cell::Empty),
        BadKind::ImpossibleDate => {
            let iso = matches!(
                style.recv_mode,
                DateMode::Text(TextForm::Iso) | DateMode::Text(TextForm::IsoHms)
            );
            let t = if iso { "2024-02-31" } else { "31/02/2024" };
            set(row, Canon::Received, Cell::Text(t.into()))
        }
        BadKind::CompletedBeforeReceived => {
            if !v.resolved {
                return false;
            }
            let early = x.received - Duration::days(3);
            set(row, completed_col, date_cell(style.date_mode, early))
        }
        BadKind::ResolvedNoCompleted => {
            if !v.resolved {
                return false;
            }
            // The status column must say resolved: force a plainly resolved spelling.
            set(row, Canon::Completed, Cell::Empty);
            set(row, Canon::Returned, Cell::Empty);
            set(row, Canon::Status, tx.text("Đã trả kết quả"))
        }
        BadKind::AmbiguousDate => {
            let d = x.received;
            if chrono::Datelike::day(&d) > 12 {
                return false;
            }
            let t = format!(
                "{:02}/{:02}/{:02}",
                chrono::Datelike::day(&d),
                chrono::Datelike::month(&d),
                chrono::Datelike::year(&d) % 100
            );
            set(row, Canon::Received, Cell::Text(t))
        }
    }
}

fn fmt_dmy(d: NaiveDate) -> String {
    TextForm::Dmy.render(d.and_hms_opt(0, 0, 0).expect("midnight"))
}

fn title_lines(ctx: &Ctx) -> Vec<String> {
    let s = ctx.style;
    let u = &UNITS[s.unit];
    let (from, to, as_of) = (ctx.spec.from, ctx.spec.to, ctx.spec.as_of);
    let export = TextForm::DmyHm.render(as_of);
    let commune_upper = spell_unit(s.unit, Spelling::FullUpper);
    match s.titles {
        Titles::None => Vec::new(),
        Titles::Short if u.level == Level::Huyen => vec![
            "HỆ THỐNG THÔNG TIN GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH THÀNH PHỐ HỒ CHÍ MINH".into(),
            format!("Danh sách hồ sơ - {}", u.name),
            format!("Thời điểm trích xuất: {}", TextForm::HmDmy.render(as_of)),
        ],
        Titles::Short => vec![
            format!(
                "{} - BỘ PHẬN MỘT CỬA",
                commune_upper.replace("ỦY BAN NHÂN DÂN", "UBND")
            ),
            format!(
                "Danh sách hồ sơ tiếp nhận từ {} đến {}",
                fmt_dmy(from),
                fmt_dmy(to)
            ),
        ],
        Titles::Full => {
            let (agency, title) = if u.level == Level::Huyen {
                (u.name.to_uppercase(), "DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH")
            } else {
                (
                    commune_upper,
                    "SỔ THEO DÕI HỒ SƠ TẠI BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ",
                )
            };
            vec![
                "ỦY BAN NHÂN DÂN HUYỆN HÓC MÔN".into(),
                agency,
                String::new(),
                title.into(),
                format!("(Từ ngày {} đến ngày {})", fmt_dmy(from), fmt_dmy(to)),
                format!("Ngày xuất báo cáo: {export}"),
                String::new(),
            ]
        }
    }
}

fn sign_names(seed: u64, unit: usize) -> (String, String) {
    let mut r = SplitMix64::new(derive(seed, &[9, unit as u64]));
    let a = format!(
        "{} {} {}",
        r.pick(super::catalog::FAMILY),
        r.pick(super::catalog::MIDDLE_F),
        r.pick(super::catalog::GIVEN_F)
    );
    let b = format!(
        "{} {} {}",
        r.pick(super::catalog::FAMILY),
        r.pick(super::catalog::MIDDLE_M),
        r.pick(super::catalog::GIVEN_M)
    );
    (a, b)
}

/// Builds the workbook model of one file.
pub fn build(ctx: &Ctx) -> (Book, Counts) {
    let s = ctx.style;
    let tx = Tx {
        nfd: s.nfd,
        old_tone: s.old_tone,
    };
    let mut counts = Counts::default();
    let mut rng = SplitMix64::new(derive(ctx.seed, &[2, name_hash(&ctx.spec.name)]));
    let dossiers = collect(ctx, &mut counts);
    let cols = columns(s);
    let width = cols.len();
    let blank_row = || Row {
        kind: RowKind::Blank,
        cells: vec![Cell::Empty; width],
    };

    let mut rows: Vec<Row> = Vec::new();
    let mut merges = Vec::new();
    let mergeable = !matches!(s.fmt, Fmt::Csv(_));
    for line in title_lines(ctx) {
        let r = rows.len();
        let mut cells = vec![Cell::Empty; width];
        if line.is_empty() {
            rows.push(Row {
                kind: RowKind::Blank,
                cells,
            });
            continue;
        }
        cells[0] = tx.text(&line);
        if mergeable && s.merge_titles && width > 1 {
            merges.push(Merge {
                r0: r,
                c0: 0,
                r1: r,
                c1: width - 1,
            });
        }
        rows.push(Row {
            kind: RowKind::Title,
            cells,
        });
    }
    let (hrows, hmerges) = header_rows(s, tx, &cols, rows.len());
    rows.extend(hrows);
    if mergeable {
        merges.extend(hmerges);
    }
    if s.col_numbers {
        rows.push(Row {
            kind: RowKind::Header,
            cells: (1..=width).map(|i| Cell::Text(format!("({i})"))).collect(),
        });
    }

    // Data rows, with forced bad rows at chosen positions.
    let n = dossiers.len();
    let mut forced: BTreeMap<usize, BadKind> = BTreeMap::new();
    if n > 0 {
        for &kind in s.bad {
            let mut r = SplitMix64::new(derive(
                ctx.seed,
                &[3, name_hash(&ctx.spec.name), kind as u64],
            ));
            let start = r.below(n as u64) as usize;
            if let Some(i) = (0..n).map(|k| (start + k) % n).find(|&i| {
                !forced.contains_key(&i) && {
                    let x = &dossiers[i];
                    let v = x.view(ctx.spec.as_of);
                    match kind {
                        BadKind::CompletedBeforeReceived | BadKind::ResolvedNoCompleted => {
                            v.resolved
                        }
                        BadKind::AmbiguousDate => chrono::Datelike::day(&x.received) <= 12,
                        _ => true,
                    }
                }
            }) {
                forced.insert(i, kind);
            }
        }
    }
    let random_kinds: Vec<BadKind> = BadKind::ALL
        .into_iter()
        .filter(|k| *k != BadKind::NoUnit || s.unit_col)
        .collect();
    let mut spell = Spellings::default();
    let mut by_field: BTreeMap<&'static str, (usize, usize, usize)> = BTreeMap::new();
    let mut next_blank = if s.blank_every > 0 {
        s.blank_every as i64 + rng.range(-5, 5)
    } else {
        i64::MAX
    };
    for (i, x) in dossiers.iter().enumerate() {
        let v = x.view(ctx.spec.as_of);
        let mut cells = data_row(ctx, &mut spell, tx, &cols, x, &v, i + 1);
        let kind = forced.get(&i).copied().or_else(|| {
            (ctx.bad_rate > 0.0 && rng.chance(ctx.bad_rate)).then(|| *rng.pick(&random_kinds))
        });
        if let Some(kind) = kind {
            if make_bad(kind, s, &cols, &mut cells, x, &v, tx) {
                counts.bad.push((kind, i + 1));
            }
        }
        let e = by_field.entry(x.field()).or_default();
        e.0 += 1;
        if v.resolved {
            e.1 += 1;
            if v.late {
                e.2 += 1;
            }
        }
        rows.push(Row {
            kind: RowKind::Data,
            cells,
        });
        counts.rows += 1;
        if (i + 1) as i64 >= next_blank && i + 1 < n {
            rows.push(blank_row());
            next_blank += s.blank_every as i64 + rng.range(-5, 5);
        }
    }

    // Footer.
    if s.footer != Footer::None {
        rows.push(blank_row());
        let r = rows.len();
        let mut cells = vec![Cell::Empty; width];
        if s.unit.is_multiple_of(2) && width > 2 {
            cells[0] = tx.text(&format!("Tổng cộng: {n} hồ sơ"));
            if mergeable {
                merges.push(Merge {
                    r0: r,
                    c0: 0,
                    r1: r,
                    c1: 2,
                });
            }
        } else {
            cells[0] = tx.text("Tổng cộng");
            cells[1.min(width - 1)] = tx.text(&format!("{n} hồ sơ"));
        }
        rows.push(Row {
            kind: RowKind::Footer,
            cells,
        });
    }
    if s.footer == Footer::TotalSigned && width > 4 {
        let right = width - 3;
        let (a, b) = sign_names(ctx.seed, s.unit);
        let day = ctx.spec.as_of.date();
        let line = |l: &str, r: &str| {
            let mut cells = vec![Cell::Empty; width];
            if !l.is_empty() {
                cells[1] = tx.text(l);
            }
            if !r.is_empty() {
                cells[right] = tx.text(r);
            }
            Row {
                kind: RowKind::Footer,
                cells,
            }
        };
        rows.push(blank_row());
        rows.push(line(
            "",
            &format!(
                "Hóc Môn, ngày {} tháng {} năm {}",
                chrono::Datelike::day(&day),
                chrono::Datelike::month(&day),
                chrono::Datelike::year(&day)
            ),
        ));
        let boss = if UNITS[s.unit].level == Level::Huyen {
            "TRƯỞNG PHÒNG"
        } else {
            "KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"
        };
        rows.push(line("NGƯỜI LẬP BIỂU", boss));
        rows.push(line("(Ký, ghi rõ họ tên)", "(Ký tên, đóng dấu)"));
        rows.push(blank_row());
        rows.push(blank_row());
        rows.push(line(&a, &b));
    }

    let widths: Vec<f64> = cols.iter().map(|(k, _)| width_of(*k)).collect();
    let data = Sheet {
        name: s.sheet_name.to_string(),
        rows,
        merges,
        widths,
    };
    let mut sheets = Vec::new();
    let unit_name = UNITS[s.unit].name;
    let title = format!("Danh sách hồ sơ - {unit_name}");
    if matches!(s.sheets, Sheets::CoverFirst | Sheets::CoverGuideFirst) {
        sheets.push(cover(ctx, tx, n));
    }
    if s.sheets == Sheets::CoverGuideFirst {
        sheets.push(guide(tx, &cols));
    }
    let data_sheet = sheets.len();
    sheets.push(data);
    if s.sheets == Sheets::SummaryAfter {
        sheets.push(summary(tx, &by_field));
    }
    (
        Book {
            sheets,
            data_sheet,
            created: ctx.spec.as_of,
            title,
        },
        counts,
    )
}

fn text_sheet(name: &str, lines: &[String], tx: Tx) -> Sheet {
    Sheet {
        name: name.into(),
        rows: lines
            .iter()
            .map(|l| Row {
                kind: if l.is_empty() {
                    RowKind::Blank
                } else {
                    RowKind::Title
                },
                cells: vec![if l.is_empty() {
                    Cell::Empty
                } else {
                    tx.text(l)
                }],
            })
            .collect(),
        merges: Vec::new(),
        widths: vec![90.0],
    }
}

fn cover(ctx: &Ctx, tx: Tx, n: usize) -> Sheet {
    let u = &UNITS[ctx.style.unit];
    let agency = if u.level == Level::Huyen {
        u.name.to_uppercase()
    } else {
        spell_unit(ctx.style.unit, Spelling::FullUpper)
    };
    let lines = vec![
        "ỦY BAN NHÂN DÂN HUYỆN HÓC MÔN".to_string(),
        agency,
        String::new(),
        String::new(),
        "BÁO CÁO DANH SÁCH HỒ SƠ TIẾP NHẬN VÀ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH".into(),
        format!(
            "Kỳ báo cáo: từ ngày {} đến ngày {}",
            fmt_dmy(ctx.spec.from),
            fmt_dmy(ctx.spec.to)
        ),
        format!("Tổng số hồ sơ: {n}"),
        format!("Ngày lập: {}", fmt_dmy(ctx.spec.as_of.date())),
        String::new(),
        "Danh sách chi tiết ở trang tính tiếp theo.".into(),
    ];
    text_sheet("Bìa", &lines, tx)
}

fn guide(tx: Tx, cols: &[(ColKind, String)]) -> Sheet {
    let mut lines = vec!["HƯỚNG DẪN ĐỌC DANH SÁCH".to_string(), String::new()];
    for (i, (_, h)) in cols.iter().enumerate() {
        lines.push(format!("Cột ({}): {}", i + 1, h));
    }
    lines.push(String::new());
    lines.push("Hồ sơ trễ hạn phải có phiếu xin lỗi gửi công dân.".into());
    text_sheet("Hướng dẫn", &lines, tx)
}

fn summary(tx: Tx, by_field: &BTreeMap<&'static str, (usize, usize, usize)>) -> Sheet {
    let head = [
        "STT",
        "Lĩnh vực",
        "Tổng số hồ sơ",
        "Đã giải quyết",
        "Trễ hạn",
    ];
    let mut rows = vec![
        Row {
            kind: RowKind::Title,
            cells: vec![tx.text("TỔNG HỢP THEO LĨNH VỰC")],
        },
        Row {
            kind: RowKind::Header,
            cells: head.iter().map(|h| tx.text(h)).collect(),
        },
    ];
    let mut tot = (0, 0, 0);
    for (i, (f, &(a, b, c))) in by_field.iter().enumerate() {
        tot = (tot.0 + a, tot.1 + b, tot.2 + c);
        rows.push(Row {
            kind: RowKind::Data,
            cells: vec![
                Cell::Num((i + 1) as f64, false),
                tx.text(f),
                Cell::Num(a as f64, false),
                Cell::Num(b as f64, false),
                Cell::Num(c as f64, false),
            ],
        });
    }
    rows.push(Row {
        kind: RowKind::Footer,
        cells: vec![
            Cell::Empty,
            tx.text("Tổng cộng"),
            Cell::Num(tot.0 as f64, false),
            Cell::Num(tot.1 as f64, false),
            Cell::Num(tot.2 as f64, false),
        ],
    });
    Sheet {
        name: "Tổng hợp".into(),
        rows,
        merges: Vec::new(),
        widths: vec![6.0, 40.0, 16.0, 16.0, 16.0],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_tone_moves_marks() {
        assert_eq!(old_tone("Hòa giải cơ sở"), "Hoà giải cơ sở");
        assert_eq!(old_tone("Thủy lợi"), "Thuỷ lợi");
        assert_eq!(old_tone("Ủy ban nhân dân"), "Uỷ ban nhân dân");
        assert_eq!(old_tone("ỦY BAN"), "UỶ BAN");
        assert_eq!(old_tone("Văn hóa và Thông tin"), "Văn hoá và Thông tin");
        assert_eq!(old_tone("Đã số hóa"), "Đã số hoá");
        assert_eq!(old_tone("khỏe"), "khoẻ");
        // Closed syllables and qu- keep their place.
        assert_eq!(old_tone("hoạch toàn quý Thúy"), "hoạch toàn quý Thuý");
    }

    #[test]
    fn serials() {
        let t = NaiveDate::from_ymd_opt(2024, 1, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap();
        assert_eq!(excel_serial(t), 45_292.5);
    }
}
