//! bare-parse: the practical limit of ingest for cchc's benchmark.
//!
//! Opens every spreadsheet (xlsx, xlsm, xls, ods, csv) under the given folders, reads every sheet
//! with calamine (every row of every CSV with the csv crate) and counts the non-empty cells. No
//! header search, no normalization, no table: only the parsing cchc cannot avoid. Files are read
//! in parallel on all cores, as cchc does (one file per task).
//!
//!     bare-parse DIR [DIR…]        → prints "files N rows R cells C"

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use calamine::{Data, Reader};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let p = entry?.path();
        if p.is_dir() {
            collect(&p, out)?;
        } else if let Some(ext) = p.extension().and_then(|e| e.to_str()) {
            if ["xlsx", "xlsm", "xls", "ods", "csv"].contains(&ext.to_ascii_lowercase().as_str()) {
                out.push(p);
            }
        }
    }
    Ok(())
}

/// (rows, non-empty cells) of one file.
fn count(path: &Path) -> Result<(u64, u64), String> {
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    if ext == "csv" {
        let data = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
        let head = &data[..data.len().min(4096)];
        let semis = head.iter().filter(|&&b| b == b';').count();
        let commas = head.iter().filter(|&&b| b == b',').count();
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(if semis > commas { b';' } else { b',' })
            .from_reader(data);
        let (mut rows, mut cells) = (0u64, 0u64);
        let mut rec = csv::StringRecord::new();
        while rdr.read_record(&mut rec).map_err(|e| e.to_string())? {
            rows += 1;
            cells += rec.iter().filter(|f| !f.trim().is_empty()).count() as u64;
        }
        return Ok((rows, cells));
    }
    let cursor = std::io::Cursor::new(bytes);
    let mut book: calamine::Sheets<_> = match ext.as_str() {
        "xls" => calamine::Sheets::Xls(calamine::Xls::new(cursor).map_err(|e| e.to_string())?),
        "ods" => calamine::Sheets::Ods(calamine::Ods::new(cursor).map_err(|e| e.to_string())?),
        _ => calamine::Sheets::Xlsx(calamine::Xlsx::new(cursor).map_err(|e| e.to_string())?),
    };
    let (mut rows, mut cells) = (0u64, 0u64);
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).map_err(|e| e.to_string())?;
        for row in range.rows() {
            rows += 1;
            cells += row
                .iter()
                .filter(|d| match d {
                    Data::Empty => false,
                    Data::String(s) => !s.trim().is_empty(),
                    _ => true,
                })
                .count() as u64;
        }
    }
    Ok((rows, cells))
}

fn main() {
    let dirs: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    if dirs.is_empty() {
        eprintln!("usage: bare-parse DIR [DIR…]");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for d in &dirs {
        if let Err(e) = collect(d, &mut files) {
            eprintln!("{}: {e}", d.display());
            std::process::exit(1);
        }
    }
    files.sort();
    let next = AtomicUsize::new(0);
    let totals = Mutex::new((0u64, 0u64, Vec::<String>::new()));
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else { break };
                let r = count(path);
                let mut t = totals.lock().unwrap();
                match r {
                    Ok((rows, cells)) => {
                        t.0 += rows;
                        t.1 += cells;
                    }
                    Err(e) => t.2.push(format!("{}: {e}", path.display())),
                }
            });
        }
    });
    let (rows, cells, errors) = totals.into_inner().unwrap();
    for e in &errors {
        eprintln!("{e}");
    }
    println!("files {} rows {rows} cells {cells}", files.len());
    if !errors.is_empty() {
        std::process::exit(1);
    }
}
