//! Writing outputs all or nothing. A run's files are written into a staging folder beside the
//! output folder (`.<name>.cchc-staging-<id>`), with the files of the old folder that this run
//! does not write carried over (hard links, or copies where links cannot be made: the user's
//! own files, the re-run stamp, other periods' subfolders); then the staging folder is swapped
//! in whole — the old folder renamed aside (`.<name>.cchc-old-<id>`), the staging folder renamed
//! into place, the old one removed. A run killed at any point leaves either the old folder or
//! the new one, never a mix; the next run removes what a killed one left (and puts the old
//! folder back if a run died between the two renames).
//!
//! The same lock as the store's guards each output folder (`.<name>.cchc-lock` beside it), so
//! two runs writing one folder take turns.
//!
//! When the folder cannot be swapped — it is the working folder or holds it, another file
//! system is mounted inside it (the swap would remove the share's files with the old folder), or
//! its parent cannot be written — files are written to temporary files inside it and renamed one by one
//! (each file whole, the set not).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rayon::prelude::*;

/// A file to write: its name and its bytes.
pub type Named = (String, Vec<u8>);

/// The test-only hook: with `CCHC_TEST_STOP_AT=output-staged` the process aborts once the
/// staging folder is complete, before the swap (to test a run killed mid-write).
const STOP_AT: &str = "CCHC_TEST_STOP_AT";

/// Writes every `(file name, bytes)` into `dir`, all or nothing; returns the paths written.
pub fn write_all(dir: &Path, files: &[Named]) -> Result<Vec<PathBuf>> {
    let dir = resolve(dir)?;
    let (parent, name) = match (dir.parent(), dir.file_name()) {
        (Some(p), Some(n)) => (p.to_path_buf(), n.to_string_lossy().into_owned()),
        _ => return write_in_place(&dir, files),
    };
    let parent = if parent.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        parent
    };
    std::fs::create_dir_all(&parent)
        .with_context(|| format!("không tạo được thư mục kết quả {}", dir.display()))?;
    let what = format!("thư mục kết quả {}", dir.display());
    let waiting = format!(
        "Thư mục kết quả {} đang được một lần chạy khác ghi; đang chờ…",
        dir.display()
    );
    let lock_beside = parent.join(format!(".{name}.cchc-lock"));
    let _lock = match crate::lock::acquire(&lock_beside, &waiting, &what) {
        Ok(l) => l,
        Err(_) if !writable(&parent) => {
            std::fs::create_dir_all(&dir)
                .with_context(|| format!("không tạo được thư mục kết quả {}", dir.display()))?;
            let _inside = crate::lock::acquire(&dir.join(".cchc-lock"), &waiting, &what)?;
            return write_in_place(&dir, files);
        }
        Err(e) => return Err(e),
    };
    clean_leftovers(&parent, &name, &dir)?;
    if holds_working_folder(&dir) || holds_mount_point(&dir) {
        return write_in_place(&dir, files);
    }
    let id = crate::lock::run_id();
    let staging = parent.join(format!(".{name}.cchc-staging-{id}"));
    std::fs::create_dir(&staging)
        .with_context(|| format!("không tạo được thư mục tạm {}", staging.display()))?;
    let staged = stage(&staging, &dir, files);
    if let Err(e) = staged {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    if std::env::var(STOP_AT).is_ok_and(|v| v == "output-staged") {
        std::process::abort();
    }
    let old = parent.join(format!(".{name}.cchc-old-{id}"));
    let had_old = dir.exists();
    if had_old {
        std::fs::rename(&dir, &old)
            .with_context(|| format!("không thay được thư mục kết quả {}", dir.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, &dir) {
        if had_old {
            let _ = std::fs::rename(&old, &dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e).with_context(|| format!("không ghi được thư mục kết quả {}", dir.display()));
    }
    sync_dir(&parent);
    if had_old {
        std::fs::remove_dir_all(&old)
            .with_context(|| format!("không xóa được thư mục cũ {}", old.display()))?;
    }
    Ok(files.iter().map(|(n, _)| dir.join(n)).collect())
}

/// The folder to write: a link to a folder is followed, so the real folder is swapped and the
/// link kept.
fn resolve(dir: &Path) -> Result<PathBuf> {
    match std::fs::symlink_metadata(dir) {
        Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(dir)
            .with_context(|| format!("không mở được thư mục kết quả {}", dir.display())),
        _ => Ok(dir.to_path_buf()),
    }
}

fn writable(dir: &Path) -> bool {
    tempfile::Builder::new()
        .prefix(".cchc-")
        .tempfile_in(dir)
        .is_ok()
}

/// Whether the folder is the working folder or one of its ancestors (swapping it would pull
/// the folder out from under the user's shell).
fn holds_working_folder(dir: &Path) -> bool {
    let (Ok(cwd), Ok(real)) = (std::env::current_dir(), std::fs::canonicalize(dir)) else {
        return false;
    };
    let cwd = std::fs::canonicalize(&cwd).unwrap_or(cwd);
    cwd.starts_with(&real)
}

/// Whether a folder inside the output folder is another file system mounted there (a share):
/// the swap would copy its files and then remove the old folder with them, so such a folder is
/// written in place. Links are not followed.
#[cfg(unix)]
fn holds_mount_point(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(top) = std::fs::symlink_metadata(dir) else {
        return false;
    };
    // A bind mount of the same disk has the same device number: the system's own list of mounts
    // tells it.
    if mounted_inside(dir) {
        return true;
    }
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let Ok(meta) = std::fs::symlink_metadata(e.path()) else {
                continue;
            };
            if meta.is_dir() {
                if meta.dev() != top.dev() {
                    return true;
                }
                stack.push(e.path());
            }
        }
    }
    false
}

/// Whether the system's list of mounts (`/proc/self/mountinfo`, Linux) names a mount point
/// inside the folder.
#[cfg(unix)]
fn mounted_inside(dir: &Path) -> bool {
    let Ok(real) = std::fs::canonicalize(dir) else {
        return false;
    };
    let Ok(info) = std::fs::read_to_string("/proc/self/mountinfo") else {
        return false;
    };
    lists_mount_inside(&info, &real)
}

/// Whether a `mountinfo` text (its fifth field is the mount point, spaces written `\040`)
/// names a mount point strictly inside `real`.
fn lists_mount_inside(info: &str, real: &Path) -> bool {
    info.lines()
        .filter_map(|l| l.split(' ').nth(4))
        .map(|m| {
            m.replace("\\040", " ")
                .replace("\\011", "\t")
                .replace("\\012", "\n")
                .replace("\\134", "\\")
        })
        .any(|m| {
            let m = Path::new(&m);
            m != real && m.starts_with(real)
        })
}

#[cfg(not(unix))]
fn holds_mount_point(_: &Path) -> bool {
    false
}

/// Whether a name is a temporary file of an earlier cchc run: `.cchc-` and six random
/// letters or digits (tempfile's names; the stamp `.cchc-lan-chay.json` is not one).
fn is_temp_name(name: &str) -> bool {
    name.strip_prefix(".cchc-")
        .is_some_and(|rest| rest.len() == 6 && rest.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// Removes what killed runs left: staging and old folders beside the output folder, temporary
/// files inside it. A run killed between the two renames of a swap left no output folder and
/// an old one: the old one is put back first.
fn clean_leftovers(parent: &Path, name: &str, dir: &Path) -> Result<()> {
    let staging = format!(".{name}.cchc-staging-");
    let old = format!(".{name}.cchc-old-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return Ok(());
    };
    let mut olds = Vec::new();
    let mut stagings = Vec::new();
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        if n.starts_with(&staging) {
            stagings.push(e.path());
        } else if n.starts_with(&old) {
            olds.push(e.path());
        }
    }
    if !dir.exists() {
        if let Some(first) = olds.pop() {
            std::fs::rename(&first, dir).with_context(|| {
                format!("không khôi phục được thư mục kết quả {}", dir.display())
            })?;
        }
    }
    for p in stagings.into_iter().chain(olds) {
        std::fs::remove_dir_all(&p).with_context(|| format!("không xóa được {}", p.display()))?;
    }
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            if is_temp_name(&e.file_name().to_string_lossy()) && e.path().is_file() {
                let _ = std::fs::remove_file(e.path());
            }
        }
    }
    Ok(())
}

/// Fills the staging folder: the run's files, then the old folder's other entries.
fn stage(staging: &Path, dir: &Path, files: &[Named]) -> Result<()> {
    // Side by side: each file waits for the disk at its sync. The first failure in list order
    // is the one reported.
    let staged: Vec<Result<()>> = files
        .par_iter()
        .map(|(name, bytes)| {
            let path = staging.join(name);
            let mut f = std::fs::File::create(&path)
                .with_context(|| format!("không ghi được {}", dir.join(name).display()))?;
            f.write_all(bytes)
                .and_then(|_| readable_by_all(&f))
                .and_then(|_| f.sync_all())
                .with_context(|| format!("không ghi được {}", dir.join(name).display()))
        })
        .collect();
    staged.into_iter().collect::<Result<()>>()?;
    if let Ok(meta) = std::fs::metadata(dir) {
        let _ = std::fs::set_permissions(staging, meta.permissions());
        let written: std::collections::HashSet<&str> =
            files.iter().map(|(n, _)| n.as_str()).collect();
        carry_over(dir, staging, &|n: &str| {
            written.contains(n) || is_temp_name(n)
        })
        .with_context(|| {
            format!(
                "không chép được các tệp khác của thư mục kết quả {}",
                dir.display()
            )
        })?;
    }
    sync_dir(staging);
    Ok(())
}

/// Links (or copies) every entry of `from` into `to`, folders recursively, except the
/// top-level names `skip` says.
fn carry_over(from: &Path, to: &Path, skip: &dyn Fn(&str) -> bool) -> std::io::Result<()> {
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let name = e.file_name();
        if skip(&name.to_string_lossy()) {
            continue;
        }
        let (src, dst) = (e.path(), to.join(&name));
        let kind = e.file_type()?;
        if kind.is_symlink() {
            copy_link(&src, &dst)?;
        } else if kind.is_dir() {
            std::fs::create_dir(&dst)?;
            let _ = std::fs::set_permissions(&dst, e.metadata()?.permissions());
            carry_over(&src, &dst, &|_| false)?;
        } else if std::fs::hard_link(&src, &dst).is_err() {
            std::fs::copy(&src, &dst)?;
        }
    }
    Ok(())
}

#[cfg(unix)]
fn copy_link(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::os::unix::fs::symlink(std::fs::read_link(src)?, dst)
}

#[cfg(not(unix))]
fn copy_link(src: &Path, dst: &Path) -> std::io::Result<()> {
    std::fs::copy(src, dst).map(|_| ())
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}

/// Writes each file to a temporary file inside `dir`, then renames them into place.
fn write_in_place(dir: &Path, files: &[Named]) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("không tạo được thư mục kết quả {}", dir.display()))?;
    let mut staged = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        let mut tmp = tempfile::Builder::new()
            .prefix(".cchc-")
            .tempfile_in(dir)
            .with_context(|| format!("không ghi được vào thư mục {}", dir.display()))?;
        tmp.write_all(bytes)
            .and_then(|_| readable_by_all(tmp.as_file()))
            .and_then(|_| tmp.as_file().sync_all())
            .with_context(|| format!("không ghi được {}", dir.join(name).display()))?;
        staged.push((tmp, dir.join(name)));
    }
    let mut written = Vec::with_capacity(staged.len());
    for (tmp, dest) in staged {
        tmp.persist(&dest)
            .with_context(|| format!("không ghi được {}", dest.display()))?;
        written.push(dest);
    }
    Ok(written)
}

/// Temporary files are private; outputs are ordinary files others may read.
#[cfg(unix)]
fn readable_by_all(f: &std::fs::File) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    f.set_permissions(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn readable_by_all(_: &std::fs::File) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {

    #[cfg(unix)]
    #[test]
    fn finds_a_bind_mount_inside_the_output_folder_in_the_mount_list() {
        let info = "22 1 254:0 / / rw - ext4 /dev/vda rw\n\
                    45 22 254:0 /tmp/chia-se /srv/bao\\040cao/out/chia\\040se rw - ext4 /dev/vda rw\n";
        assert!(lists_mount_inside(info, Path::new("/srv/bao cao/out")));
        // The folder itself, a folder beside it, a folder above it: not inside.
        assert!(!lists_mount_inside(
            info,
            Path::new("/srv/bao cao/out/chia se")
        ));
        assert!(!lists_mount_inside(info, Path::new("/srv/bao cao/ou")));
        assert!(!lists_mount_inside(info, Path::new("/srv/khac")));
    }

    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn swaps_the_folder_keeping_the_users_files() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        write_all(&out, &[("a.json".into(), b"1".to_vec())]).unwrap();
        std::fs::write(out.join("ghi-chu.txt"), "của tôi").unwrap();
        std::fs::create_dir(out.join("2024-Q2")).unwrap();
        std::fs::write(out.join("2024-Q2/b.json"), "2").unwrap();
        std::fs::write(out.join(".cchc-lan-chay.json"), "{}").unwrap();
        std::fs::write(out.join(".cchc-Ab12Cd"), "rác").unwrap();
        let written = write_all(
            &out,
            &[
                ("a.json".into(), b"new".to_vec()),
                ("c.html".into(), b"<p>".to_vec()),
            ],
        )
        .unwrap();
        assert_eq!(written, vec![out.join("a.json"), out.join("c.html")]);
        assert_eq!(
            names(&out),
            [
                ".cchc-lan-chay.json",
                "2024-Q2",
                "a.json",
                "c.html",
                "ghi-chu.txt"
            ]
        );
        assert_eq!(std::fs::read_to_string(out.join("a.json")).unwrap(), "new");
        assert_eq!(
            std::fs::read_to_string(out.join("ghi-chu.txt")).unwrap(),
            "của tôi"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("2024-Q2/b.json")).unwrap(),
            "2"
        );
        // Nothing but the folder and its lock beside it.
        assert_eq!(names(root.path()), [".out.cchc-lock", "out"]);
    }

    #[test]
    fn cleans_up_and_restores_what_a_killed_run_left() {
        let root = tempfile::tempdir().unwrap();
        let out = root.path().join("out");
        // Killed between the renames: the old folder aside, a staging folder, no out/.
        std::fs::create_dir(root.path().join(".out.cchc-old-1")).unwrap();
        std::fs::write(root.path().join(".out.cchc-old-1/mine.txt"), "x").unwrap();
        std::fs::create_dir(root.path().join(".out.cchc-staging-2")).unwrap();
        write_all(&out, &[("a.json".into(), b"1".to_vec())]).unwrap();
        assert_eq!(names(&out), ["a.json", "mine.txt"]);
        assert_eq!(names(root.path()), [".out.cchc-lock", "out"]);
    }

    #[test]
    fn tells_temporary_files_from_the_stamp() {
        assert!(is_temp_name(".cchc-Ab12Cd"));
        assert!(!is_temp_name(".cchc-lan-chay.json"));
        assert!(!is_temp_name(".cchc-lock"));
    }
}
