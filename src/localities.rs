//! The official list of commune-level units after the reorganisation of 1 July 2025 (phường, xã,
//! đặc khu, 3 314 in 34 provinces), shipped in `pipelines/don-vi-hanh-chinh/` and built into the
//! binary. It is the one place a locality's official code is looked up: a pipeline's
//! `locality_code` is checked against it, and the province consolidation takes from it which
//! localities a province has and what each is called. Parsed once per process.

use std::collections::HashMap;
use std::sync::OnceLock;

use anyhow::{bail, Context, Result};
use serde::Deserialize;

use crate::text::{edit_distance, folded};

/// Where the list ships, for messages and comments.
pub const LIST_PATH: &str = "pipelines/don-vi-hanh-chinh/don-vi-hanh-chinh-cap-xa-2025.csv";

const LIST_CSV: &str =
    include_str!("../pipelines/don-vi-hanh-chinh/don-vi-hanh-chinh-cap-xa-2025.csv");

/// One unit of the list, as the list writes it.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Locality {
    /// The official code, five digits ("27559").
    #[serde(rename = "ma_xa")]
    pub code: String,
    /// The full name, "Xã Hóc Môn".
    #[serde(rename = "ten_day_du")]
    pub full_name: String,
    /// The name without its kind, "Hóc Môn".
    #[serde(rename = "ten")]
    pub name: String,
    /// Phường, Xã or Đặc khu.
    #[serde(rename = "loai")]
    pub kind: String,
    /// The province's code ("79").
    #[serde(rename = "ma_tinh")]
    pub province_code: String,
    /// The province's name ("Thành phố Hồ Chí Minh").
    #[serde(rename = "ten_tinh")]
    pub province_name: String,
}

/// The whole list, in its own order (by code), with an index by code.
#[derive(Debug)]
pub struct OfficialList {
    units: Vec<Locality>,
    by_code: HashMap<String, usize>,
}

impl OfficialList {
    /// The list built into the binary.
    pub fn shipped() -> &'static OfficialList {
        static LIST: OnceLock<OfficialList> = OnceLock::new();
        LIST.get_or_init(|| OfficialList::parse(LIST_CSV).expect("the shipped list parses"))
    }

    /// A list from its CSV text (`ma_xa, ten_day_du, ten, loai, ma_tinh, ten_tinh`).
    pub fn parse(text: &str) -> Result<OfficialList> {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let mut units = Vec::new();
        let mut by_code = HashMap::new();
        for (i, row) in reader.deserialize::<Locality>().enumerate() {
            let unit =
                row.with_context(|| format!("danh mục đơn vị hành chính, dòng {}", i + 2))?;
            if by_code.insert(unit.code.clone(), units.len()).is_some() {
                bail!(
                    "danh mục đơn vị hành chính: mã {} có hai lần (dòng {})",
                    unit.code,
                    i + 2
                );
            }
            units.push(unit);
        }
        Ok(OfficialList { units, by_code })
    }

    /// Every unit, by code.
    pub fn all(&self) -> &[Locality] {
        &self.units
    }

    /// The unit of a code.
    pub fn find(&self, code: &str) -> Option<&Locality> {
        self.by_code.get(code.trim()).map(|&i| &self.units[i])
    }

    /// The units of a province, by code.
    pub fn of_province<'a>(&'a self, province: &'a str) -> impl Iterator<Item = &'a Locality> {
        self.units
            .iter()
            .filter(move |u| u.province_code == province)
    }

    /// The name of a province, if the list has it.
    pub fn province_name(&self, province: &str) -> Option<&str> {
        self.units
            .iter()
            .find(|u| u.province_code == province)
            .map(|u| u.province_name.as_str())
    }

    /// The units whose names are nearest a name as a person writes it — case, tones, marks
    /// and the kind word ("Xã", "Phường") not mattering — nearest first, at most `n`.
    pub fn closest(&self, name: &str, n: usize) -> Vec<&Locality> {
        let wanted = folded(name);
        let mut scored: Vec<(usize, &Locality)> = self
            .units
            .iter()
            .map(|u| {
                let full = edit_distance(&wanted, &folded(&u.full_name));
                let short = edit_distance(&wanted, &folded(&u.name));
                (full.min(short), u)
            })
            .collect();
        scored.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
        scored.into_iter().take(n).map(|(_, u)| u).collect()
    }

    /// Checks a locality's code; the error names the closest units to its name and says what
    /// to do.
    pub fn check_code(&self, code: &str, locality_name: &str) -> Result<&Locality> {
        if let Some(u) = self.find(code) {
            return Ok(u);
        }
        let near: Vec<String> = self
            .closest(locality_name, 3)
            .into_iter()
            .map(|u| {
                format!(
                    "{} ({}, {}) mã {}",
                    u.full_name, u.province_name, u.kind, u.code
                )
            })
            .collect();
        bail!(
            "locality_code = «{code}» không có trong danh mục đơn vị hành chính cấp xã 2025 \
             ({LIST_PATH}). Các đơn vị có tên gần với «{locality_name}» nhất: {}. \
             Hãy ghi đúng mã 5 chữ số của địa phương (cột ma_xa của danh mục) vào locality_code.",
            near.join("; ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::OfficialList;

    #[test]
    fn holds_every_unit_of_the_country_and_hcmc_168() {
        let list = OfficialList::shipped();
        assert_eq!(list.all().len(), 3314);
        assert_eq!(list.of_province("79").count(), 168);
        assert_eq!(list.find("27559").unwrap().full_name, "Xã Hóc Môn");
        assert_eq!(list.province_name("79"), Some("Thành phố Hồ Chí Minh"));
    }

    #[test]
    fn finds_the_closest_names_whatever_the_marks() {
        let list = OfficialList::shipped();
        let near = list.closest("xa hoc mon", 1);
        assert_eq!(near[0].code, "27559");
        let near = list.closest("Bà Điễm", 1);
        assert_eq!(near[0].code, "27592");
    }
}
