//! What the district looks like: its units, the fields and procedures each one
//! handles, applicant names, and the vocabulary (column headers, statuses,
//! channels, yes/no) the exports use. The vocabulary mirrors
//! `spec/export-columns.md`; the procedures are real Vietnamese procedure names
//! with codes in the national format, chosen to be plausible rather than exact.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    Huyen,
    Xa,
}

pub struct Unit {
    /// Canonical name, as in `spec/domain.md`.
    pub name: &'static str,
    /// Name without its level word, for prefixed spellings (`UBND xã Bà Điểm`).
    pub short: &'static str,
    /// `Xã` / `Thị trấn` for communes, empty for district offices.
    pub kind: &'static str,
    pub slug: &'static str,
    pub level: Level,
    /// Share of the district's daily dossiers.
    pub weight: f64,
    /// Fields handled, with their share of the unit's dossiers.
    pub fields: &'static [(&'static str, f64)],
}

const COMMUNE_FIELDS: &[(&str, f64)] = &[
    ("Chứng thực", 0.42),
    ("Hộ tịch", 0.34),
    ("Đất đai", 0.05),
    ("Xây dựng", 0.04),
    ("Lao động - Thương binh và Xã hội", 0.07),
    ("Hòa giải cơ sở", 0.02),
    ("Văn hóa", 0.02),
    ("Bảo trợ xã hội", 0.04),
];

pub const UNITS: &[Unit] = &[
    Unit {
        name: "Văn phòng HĐND và UBND huyện",
        short: "Văn phòng HĐND và UBND huyện",
        kind: "",
        slug: "van-phong-hdnd-va-ubnd-huyen",
        level: Level::Huyen,
        weight: 0.010,
        fields: &[("Tiếp công dân", 0.6), ("Xử lý đơn", 0.4)],
    },
    Unit {
        name: "Phòng Nội vụ",
        short: "Phòng Nội vụ",
        kind: "",
        slug: "phong-noi-vu",
        level: Level::Huyen,
        weight: 0.010,
        fields: &[
            ("Thi đua - Khen thưởng", 0.6),
            ("Tôn giáo", 0.25),
            ("Tổ chức phi chính phủ", 0.15),
        ],
    },
    Unit {
        name: "Phòng Tư pháp",
        short: "Phòng Tư pháp",
        kind: "",
        slug: "phong-tu-phap",
        level: Level::Huyen,
        weight: 0.080,
        fields: &[("Chứng thực", 0.7), ("Hộ tịch", 0.3)],
    },
    Unit {
        name: "Phòng Tài chính - Kế hoạch",
        short: "Phòng Tài chính - Kế hoạch",
        kind: "",
        slug: "phong-tai-chinh-ke-hoach",
        level: Level::Huyen,
        weight: 0.055,
        fields: &[
            ("Thành lập và hoạt động của hộ kinh doanh", 0.9),
            ("Đầu tư", 0.1),
        ],
    },
    Unit {
        name: "Phòng Tài nguyên và Môi trường",
        short: "Phòng Tài nguyên và Môi trường",
        kind: "",
        slug: "phong-tai-nguyen-va-moi-truong",
        level: Level::Huyen,
        weight: 0.090,
        fields: &[("Đất đai", 0.93), ("Môi trường", 0.07)],
    },
    Unit {
        name: "Phòng Quản lý đô thị",
        short: "Phòng Quản lý đô thị",
        kind: "",
        slug: "phong-quan-ly-do-thi",
        level: Level::Huyen,
        weight: 0.050,
        fields: &[("Xây dựng", 0.85), ("Quy hoạch - Kiến trúc", 0.15)],
    },
    Unit {
        name: "Phòng Kinh tế",
        short: "Phòng Kinh tế",
        kind: "",
        slug: "phong-kinh-te",
        level: Level::Huyen,
        weight: 0.020,
        fields: &[
            ("Lưu thông hàng hóa trong nước", 0.6),
            ("Nông nghiệp", 0.25),
            ("Thủy lợi", 0.15),
        ],
    },
    Unit {
        name: "Phòng Lao động - Thương binh và Xã hội",
        short: "Phòng Lao động - Thương binh và Xã hội",
        kind: "",
        slug: "phong-lao-dong-thuong-binh-va-xa-hoi",
        level: Level::Huyen,
        weight: 0.030,
        fields: &[
            ("Người có công", 0.45),
            ("Bảo trợ xã hội", 0.45),
            ("Trẻ em", 0.10),
        ],
    },
    Unit {
        name: "Phòng Giáo dục và Đào tạo",
        short: "Phòng Giáo dục và Đào tạo",
        kind: "",
        slug: "phong-giao-duc-va-dao-tao",
        level: Level::Huyen,
        weight: 0.015,
        fields: &[
            ("Giáo dục và Đào tạo", 0.7),
            ("Hệ thống văn bằng, chứng chỉ", 0.3),
        ],
    },
    Unit {
        name: "Phòng Y tế",
        short: "Phòng Y tế",
        kind: "",
        slug: "phong-y-te",
        level: Level::Huyen,
        weight: 0.010,
        fields: &[
            ("An toàn thực phẩm và dinh dưỡng", 0.8),
            ("Khám bệnh, chữa bệnh", 0.2),
        ],
    },
    Unit {
        name: "Phòng Văn hóa và Thông tin",
        short: "Phòng Văn hóa và Thông tin",
        kind: "",
        slug: "phong-van-hoa-va-thong-tin",
        level: Level::Huyen,
        weight: 0.010,
        fields: &[
            ("Văn hóa", 0.6),
            ("Gia đình", 0.15),
            ("Thể dục thể thao", 0.25),
        ],
    },
    Unit {
        name: "Thanh tra huyện",
        short: "Thanh tra huyện",
        kind: "",
        slug: "thanh-tra-huyen",
        level: Level::Huyen,
        weight: 0.006,
        fields: &[
            ("Giải quyết khiếu nại", 0.35),
            ("Giải quyết tố cáo", 0.1),
            ("Tiếp công dân", 0.35),
            ("Xử lý đơn", 0.2),
        ],
    },
    commune(
        "Thị trấn Hóc Môn",
        "Hóc Môn",
        "Thị trấn",
        "thi-tran-hoc-mon",
        0.060,
    ),
    commune("Xã Bà Điểm", "Bà Điểm", "Xã", "ba-diem", 0.075),
    commune("Xã Đông Thạnh", "Đông Thạnh", "Xã", "dong-thanh", 0.055),
    commune("Xã Nhị Bình", "Nhị Bình", "Xã", "nhi-binh", 0.030),
    commune("Xã Tân Hiệp", "Tân Hiệp", "Xã", "tan-hiep", 0.045),
    commune(
        "Xã Tân Thới Nhì",
        "Tân Thới Nhì",
        "Xã",
        "tan-thoi-nhi",
        0.045,
    ),
    commune("Xã Tân Xuân", "Tân Xuân", "Xã", "tan-xuan", 0.045),
    commune(
        "Xã Thới Tam Thôn",
        "Thới Tam Thôn",
        "Xã",
        "thoi-tam-thon",
        0.060,
    ),
    commune("Xã Trung Chánh", "Trung Chánh", "Xã", "trung-chanh", 0.040),
    commune(
        "Xã Xuân Thới Đông",
        "Xuân Thới Đông",
        "Xã",
        "xuan-thoi-dong",
        0.045,
    ),
    commune(
        "Xã Xuân Thới Sơn",
        "Xuân Thới Sơn",
        "Xã",
        "xuan-thoi-son",
        0.050,
    ),
    commune(
        "Xã Xuân Thới Thượng",
        "Xuân Thới Thượng",
        "Xã",
        "xuan-thoi-thuong",
        0.065,
    ),
];

const fn commune(
    name: &'static str,
    short: &'static str,
    kind: &'static str,
    slug: &'static str,
    weight: f64,
) -> Unit {
    Unit {
        name,
        short,
        kind,
        slug,
        level: Level::Xa,
        weight,
        fields: COMMUNE_FIELDS,
    }
}

/// Index of the first commune in [`UNITS`].
pub const FIRST_COMMUNE: usize = 12;

#[derive(Debug)]
pub struct Procedure {
    pub field: &'static str,
    pub name: &'static str,
    pub code: &'static str,
    /// Working days from receipt to the appointment; `None`: no appointment.
    pub days: Option<u32>,
    /// Fee in VND (0: free).
    pub fee: u32,
    /// `Some(level)`: only at that level.
    pub level: Option<Level>,
    pub weight: f64,
}

const fn p(
    field: &'static str,
    name: &'static str,
    code: &'static str,
    days: Option<u32>,
    fee: u32,
    level: Option<Level>,
    weight: f64,
) -> Procedure {
    Procedure {
        field,
        name,
        code,
        days,
        fee,
        level,
        weight,
    }
}

const H: Option<Level> = Some(Level::Huyen);
const X: Option<Level> = Some(Level::Xa);

pub const PROCEDURES: &[Procedure] = &[
    // Chứng thực
    p("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của Việt Nam cấp hoặc chứng nhận", "2.000815", Some(0), 2_000, None, 5.0),
    p("Chứng thực", "Chứng thực chữ ký trong các giấy tờ, văn bản (áp dụng cho cả trường hợp chứng thực điểm chỉ và trường hợp người yêu cầu chứng thực không thể ký, không thể điểm chỉ được)", "2.000884", Some(0), 10_000, None, 2.0),
    p("Chứng thực", "Chứng thực hợp đồng, giao dịch liên quan đến tài sản là động sản, quyền sử dụng đất và nhà ở", "2.001035", Some(2), 50_000, None, 1.5),
    p("Chứng thực", "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan tổ chức có thẩm quyền của nước ngoài cấp hoặc chứng nhận", "2.000908", Some(0), 2_000, H, 1.0),
    p("Chứng thực", "Cấp bản sao có chứng thực từ bản chính hợp đồng, giao dịch đã được chứng thực", "2.001019", Some(2), 2_000, None, 0.5),
    // Hộ tịch
    p("Hộ tịch", "Đăng ký khai sinh", "1.001193", Some(0), 0, X, 4.0),
    p("Hộ tịch", "Đăng ký kết hôn", "1.000894", Some(0), 0, X, 1.5),
    p("Hộ tịch", "Đăng ký khai tử", "1.000656", Some(0), 0, X, 1.5),
    p("Hộ tịch", "Cấp bản sao trích lục hộ tịch", "2.000635", Some(0), 8_000, None, 2.0),
    p("Hộ tịch", "Cấp Giấy xác nhận tình trạng hôn nhân", "1.004873", Some(3), 0, X, 2.0),
    p("Hộ tịch", "Đăng ký thay đổi, cải chính, bổ sung thông tin hộ tịch", "1.004859", Some(3), 15_000, None, 1.0),
    p("Hộ tịch", "Đăng ký khai sinh có yếu tố nước ngoài", "2.000528", Some(15), 75_000, H, 1.0),
    p("Hộ tịch", "Đăng ký kết hôn có yếu tố nước ngoài", "1.000893", Some(15), 1_500_000, H, 1.0),
    p("Hộ tịch", "Đăng ký thay đổi, cải chính, bổ sung, xác định lại dân tộc", "1.004746", Some(3), 28_000, H, 0.5),
    // Đất đai
    p("Đất đai", "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, tặng cho, thừa kế", "1.004227", Some(10), 100_000, H, 5.0),
    p("Đất đai", "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất lần đầu", "1.004163", Some(30), 100_000, H, 1.0),
    p("Đất đai", "Chuyển mục đích sử dụng đất phải được phép của cơ quan nhà nước có thẩm quyền", "1.004203", Some(15), 0, H, 1.0),
    p("Đất đai", "Tách thửa hoặc hợp thửa đất", "1.004206", Some(15), 50_000, H, 1.0),
    p("Đất đai", "Đính chính Giấy chứng nhận đã cấp", "1.004217", Some(10), 0, H, 0.5),
    p("Đất đai", "Hòa giải tranh chấp đất đai", "1.003554", Some(30), 0, X, 1.0),
    p("Đất đai", "Xác nhận nguồn gốc, thời điểm sử dụng đất", "1.009001", Some(10), 0, X, 1.0),
    // Môi trường
    p("Môi trường", "Đăng ký kế hoạch bảo vệ môi trường", "1.010727", Some(10), 0, H, 1.0),
    // Xây dựng
    p("Xây dựng", "Cấp giấy phép xây dựng mới đối với nhà ở riêng lẻ", "1.009994", Some(15), 75_000, H, 4.0),
    p("Xây dựng", "Cấp giấy phép xây dựng sửa chữa, cải tạo đối với nhà ở riêng lẻ", "1.009995", Some(15), 75_000, H, 1.0),
    p("Xây dựng", "Điều chỉnh, gia hạn, cấp lại giấy phép xây dựng", "1.009996", Some(5), 15_000, H, 1.0),
    p("Xây dựng", "Tiếp nhận thông báo khởi công xây dựng công trình", "1.009007", Some(5), 0, X, 1.0),
    // Quy hoạch - Kiến trúc
    p("Quy hoạch - Kiến trúc", "Cung cấp thông tin về quy hoạch xây dựng thuộc thẩm quyền của UBND cấp huyện", "1.008455", Some(15), 0, H, 2.0),
    p("Quy hoạch - Kiến trúc", "Thẩm định nhiệm vụ, đồ án quy hoạch chi tiết của dự án đầu tư xây dựng công trình", "1.008432", Some(20), 0, H, 0.5),
    // Hộ kinh doanh, đầu tư
    p("Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thành lập hộ kinh doanh", "2.000720", Some(3), 100_000, H, 4.0),
    p("Thành lập và hoạt động của hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh", "2.000575", Some(3), 100_000, H, 2.0),
    p("Thành lập và hoạt động của hộ kinh doanh", "Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh", "2.000664", Some(3), 0, H, 1.0),
    p("Thành lập và hoạt động của hộ kinh doanh", "Chấm dứt hoạt động hộ kinh doanh", "2.000606", Some(3), 0, H, 1.0),
    p("Đầu tư", "Thẩm định báo cáo kinh tế - kỹ thuật đầu tư xây dựng", "1.009862", Some(20), 0, H, 1.0),
    // Kinh tế
    p("Lưu thông hàng hóa trong nước", "Cấp Giấy phép bán lẻ sản phẩm thuốc lá", "2.000620", Some(10), 1_100_000, H, 1.0),
    p("Lưu thông hàng hóa trong nước", "Cấp Giấy phép bán lẻ rượu", "2.000633", Some(10), 1_100_000, H, 1.0),
    p("Nông nghiệp", "Xác nhận kế hoạch khai thác thủy sản", "1.003605", Some(5), 0, H, 1.0),
    p("Thủy lợi", "Cấp giấy phép cho các hoạt động trong phạm vi bảo vệ công trình thủy lợi", "1.003379", Some(20), 0, H, 1.0),
    // Lao động - Thương binh và Xã hội
    p("Người có công", "Giải quyết chế độ trợ cấp thờ cúng liệt sĩ", "1.002519", Some(12), 0, H, 1.0),
    p("Người có công", "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ và hỗ trợ thăm viếng mộ liệt sĩ", "1.002440", Some(5), 0, H, 1.0),
    p("Bảo trợ xã hội", "Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hằng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hằng tháng", "1.001776", Some(20), 0, H, 2.0),
    p("Bảo trợ xã hội", "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội", "1.001758", Some(5), 0, X, 1.0),
    p("Trẻ em", "Áp dụng các biện pháp can thiệp khẩn cấp hoặc tạm thời cách ly trẻ em khỏi môi trường hoặc người gây tổn hại cho trẻ em", "1.004946", Some(3), 0, H, 1.0),
    p("Lao động - Thương binh và Xã hội", "Xác nhận hộ gia đình làm nông nghiệp, lâm nghiệp, ngư nghiệp có mức sống trung bình", "1.005218", Some(7), 0, X, 1.0),
    p("Lao động - Thương binh và Xã hội", "Đăng ký hưởng mai táng phí, trợ cấp một lần khi người có công với cách mạng từ trần", "1.010832", Some(10), 0, X, 1.0),
    // Hòa giải cơ sở, văn hóa, gia đình, thể thao
    p("Hòa giải cơ sở", "Thủ tục công nhận hòa giải viên", "2.000930", Some(5), 0, X, 1.0),
    p("Hòa giải cơ sở", "Thủ tục thôi làm hòa giải viên", "2.000937", Some(5), 0, X, 0.5),
    p("Văn hóa", "Thủ tục đăng ký tổ chức lễ hội cấp xã", "1.003645", Some(5), 0, X, 1.0),
    p("Văn hóa", "Cấp Giấy phép kinh doanh dịch vụ karaoke", "1.001029", Some(5), 4_000_000, H, 1.0),
    p("Văn hóa", "Thủ tục thông báo tổ chức lễ hội cấp huyện", "1.003622", Some(5), 0, H, 0.5),
    p("Gia đình", "Cấp Giấy chứng nhận đăng ký hoạt động của cơ sở hỗ trợ nạn nhân bạo lực gia đình", "1.001106", Some(10), 0, H, 1.0),
    p("Thể dục thể thao", "Công nhận câu lạc bộ thể thao cơ sở", "1.000933", Some(7), 0, H, 1.0),
    // Giáo dục, y tế
    p("Giáo dục và Đào tạo", "Chuyển trường đối với học sinh trung học cơ sở", "1.005095", Some(3), 0, H, 3.0),
    p("Giáo dục và Đào tạo", "Cho phép trường tiểu học hoạt động giáo dục", "1.004555", Some(20), 0, H, 0.3),
    p("Hệ thống văn bằng, chứng chỉ", "Chỉnh sửa nội dung văn bằng, chứng chỉ", "2.001914", Some(5), 0, H, 1.0),
    p("Hệ thống văn bằng, chứng chỉ", "Cấp bản sao văn bằng, chứng chỉ từ sổ gốc", "1.005088", Some(1), 0, H, 1.5),
    p("An toàn thực phẩm và dinh dưỡng", "Cấp Giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm", "1.001614", Some(20), 500_000, H, 1.0),
    p("Khám bệnh, chữa bệnh", "Cấp giấy xác nhận nội dung quảng cáo dịch vụ khám bệnh, chữa bệnh", "1.003012", Some(10), 1_100_000, H, 1.0),
    // Nội vụ
    p("Thi đua - Khen thưởng", "Thủ tục tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện", "1.000775", Some(20), 0, H, 1.0),
    p("Tôn giáo", "Thủ tục đăng ký hoạt động tín ngưỡng", "1.001055", Some(15), 0, H, 1.0),
    p("Tổ chức phi chính phủ", "Thủ tục công nhận ban vận động thành lập hội có phạm vi hoạt động trong xã", "1.003917", Some(30), 0, H, 1.0),
    // Khiếu nại, tố cáo, tiếp công dân
    p("Tiếp công dân", "Thủ tục tiếp công dân tại cấp huyện", "2.002376", None, 0, H, 1.0),
    p("Xử lý đơn", "Thủ tục xử lý đơn tại cấp huyện", "2.002377", Some(10), 0, H, 1.0),
    p("Giải quyết khiếu nại", "Thủ tục giải quyết khiếu nại lần đầu tại cấp huyện", "2.002361", Some(30), 0, H, 1.0),
    p("Giải quyết khiếu nại", "Thủ tục giải quyết khiếu nại lần hai tại cấp huyện", "2.002362", Some(45), 0, H, 0.3),
    p("Giải quyết tố cáo", "Thủ tục giải quyết tố cáo tại cấp huyện", "2.002368", Some(30), 0, H, 1.0),
];

/// Procedures of `field` available at `level`.
pub fn procedures(field: &str, level: Level) -> Vec<&'static Procedure> {
    PROCEDURES
        .iter()
        .filter(|p| p.field == field && p.level.is_none_or(|l| l == level))
        .collect()
}

/// Share of late completions by field (targets 3.1/3.2 hover around these).
pub fn late_rate(field: &str) -> f64 {
    match field {
        "Đất đai" => 0.045,
        "Xây dựng" | "Quy hoạch - Kiến trúc" => 0.03,
        "Giải quyết khiếu nại" | "Giải quyết tố cáo" | "Xử lý đơn" => 0.05,
        "Thành lập và hoạt động của hộ kinh doanh" | "Đầu tư" => 0.015,
        "Chứng thực" | "Hộ tịch" => 0.004,
        _ => 0.012,
    }
}

/// Share of dossiers submitted online, by field.
pub fn online_rate(field: &str) -> f64 {
    match field {
        "Chứng thực" => 0.12,
        "Hộ tịch" => 0.45,
        "Đất đai" => 0.30,
        "Thành lập và hoạt động của hộ kinh doanh" => 0.70,
        "Tiếp công dân" | "Hòa giải cơ sở" => 0.0,
        "Giải quyết khiếu nại" | "Giải quyết tố cáo" | "Xử lý đơn" => 0.15,
        _ => 0.50,
    }
}

pub const FAMILY: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đoàn", "Lâm", "Mai",
];
pub const MIDDLE_M: &[&str] = &[
    "Văn", "Minh", "Quốc", "Hữu", "Đức", "Thanh", "Hoàng", "Công", "Tấn", "Ngọc",
];
pub const MIDDLE_F: &[&str] = &[
    "Thị",
    "Ngọc",
    "Thị Thu",
    "Thị Kim",
    "Thanh",
    "Thị Mỹ",
    "Hồng",
    "Bích",
];
pub const GIVEN_M: &[&str] = &[
    "An", "Bình", "Dũng", "Hùng", "Hòa", "Khoa", "Nam", "Phúc", "Quân", "Tâm", "Tuấn", "Toàn",
    "Thành", "Trung", "Vinh", "Khải", "Lộc", "Hiếu", "Thụy", "Sơn",
];
pub const GIVEN_F: &[&str] = &[
    "Châu", "Hòa", "Thủy", "Thúy", "Lan", "Mai", "Thảo", "Trang", "Vy", "Yến", "Loan", "Hạnh",
    "Ngân", "Nhung", "Phương", "Hương", "Linh", "Tuyết", "Xoan", "Hoa",
];
pub const COMPANY_KIND: &[&str] = &[
    "Công ty TNHH",
    "Công ty Cổ phần",
    "Công ty TNHH MTV",
    "Doanh nghiệp tư nhân",
];
pub const COMPANY_NAME: &[&str] = &[
    "Thương mại Dịch vụ Minh Phát",
    "Xây dựng Hóc Môn",
    "Đầu tư Xuân Thới",
    "Sản xuất Bao bì Tân Hiệp",
    "Thực phẩm Bà Điểm",
    "Vận tải Trung Chánh",
    "Kỹ thuật Điện Đông Thạnh",
    "Nông sản Nhị Bình",
];
pub const STREETS: &[&str] = &[
    "Quốc lộ 22",
    "Lê Thị Hà",
    "Nguyễn Ảnh Thủ",
    "Phan Văn Hớn",
    "Tô Ký",
    "Đặng Thúc Vịnh",
    "Trưng Nữ Vương",
    "Bà Triệu",
    "Lý Thường Kiệt",
    "Song Hành",
    "Trần Văn Mười",
    "Nguyễn Văn Bứa",
];
pub const NOTES: &[&str] = &[
    "Liên thông",
    "Bổ sung lần 1",
    "Trả qua bưu điện",
    "Hồ sơ trực tuyến toàn trình",
    "Đã gọi điện báo công dân",
    "Công dân chưa đến nhận",
    "Chuyển phòng chuyên môn",
];

/// Canonical columns of `spec/export-columns.md`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Canon {
    DossierId,
    Unit,
    Field,
    Procedure,
    ProcedureCode,
    Applicant,
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
}

pub const ALL_CANON: [Canon; 17] = [
    Canon::DossierId,
    Canon::Unit,
    Canon::Field,
    Canon::Procedure,
    Canon::ProcedureCode,
    Canon::Applicant,
    Canon::Received,
    Canon::Due,
    Canon::Completed,
    Canon::Returned,
    Canon::Status,
    Canon::Channel,
    Canon::Apology,
    Canon::DigitizedDossier,
    Canon::DigitizedResult,
    Canon::Fee,
    Canon::Epayment,
];

impl Canon {
    pub fn aliases(self) -> &'static [&'static str] {
        match self {
            Canon::DossierId => &["Mã hồ sơ", "Số hồ sơ", "Mã số hồ sơ", "Số biên nhận"],
            Canon::Unit => &[
                "Đơn vị",
                "Đơn vị xử lý",
                "Đơn vị tiếp nhận",
                "Cơ quan giải quyết",
                "Cơ quan thực hiện",
            ],
            Canon::Field => &["Lĩnh vực", "Tên lĩnh vực", "Lĩnh vực TTHC"],
            Canon::Procedure => &["Tên thủ tục", "Thủ tục hành chính", "Tên TTHC", "Thủ tục"],
            Canon::ProcedureCode => &["Mã thủ tục", "Mã TTHC"],
            Canon::Applicant => &["Người nộp", "Chủ hồ sơ", "Tên người nộp", "Tổ chức/cá nhân"],
            Canon::Received => &[
                "Ngày tiếp nhận",
                "Ngày nhận",
                "Thời gian tiếp nhận",
                "Ngày nộp",
            ],
            Canon::Due => &[
                "Ngày hẹn trả",
                "Ngày hẹn trả kết quả",
                "Hạn xử lý",
                "Hạn giải quyết",
            ],
            Canon::Completed => &[
                "Ngày có kết quả",
                "Ngày hoàn thành",
                "Ngày kết thúc xử lý",
                "Ngày giải quyết xong",
            ],
            Canon::Returned => &["Ngày trả kết quả", "Ngày trả", "Thời gian trả kết quả"],
            Canon::Status => &[
                "Trạng thái",
                "Tình trạng",
                "Trạng thái hồ sơ",
                "Tình trạng xử lý",
            ],
            Canon::Channel => &[
                "Hình thức nộp",
                "Kênh nộp",
                "Hình thức tiếp nhận",
                "Nguồn hồ sơ",
            ],
            Canon::Apology => &["Xin lỗi", "Phiếu xin lỗi", "Đã xin lỗi", "Thư xin lỗi"],
            Canon::DigitizedDossier => &["Số hóa hồ sơ", "Số hóa thành phần hồ sơ"],
            Canon::DigitizedResult => &["Số hóa kết quả"],
            Canon::Fee => &["Phí, lệ phí", "Lệ phí", "Số tiền"],
            Canon::Epayment => &["Thanh toán trực tuyến", "Hình thức thanh toán"],
        }
    }

    pub fn is_date(self) -> bool {
        matches!(
            self,
            Canon::Received | Canon::Due | Canon::Completed | Canon::Returned
        )
    }
}

/// Canonical dossier statuses and their spellings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Received,
    Processing,
    Supplement,
    ResultReady,
    Returned,
    Refused,
    Withdrawn,
}

impl Status {
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            Status::Received => &["Đã tiếp nhận", "Mới tiếp nhận", "Chờ xử lý"],
            Status::Processing => &["Đang xử lý", "Đang giải quyết", "Đang thụ lý"],
            Status::Supplement => &["Chờ bổ sung", "Yêu cầu bổ sung", "Tạm dừng"],
            Status::ResultReady => &[
                "Đã có kết quả",
                "Đã giải quyết",
                "Hoàn thành",
                "Chờ trả kết quả",
            ],
            Status::Returned => &["Đã trả kết quả", "Đã trả", "Đã trả kết quả cho công dân"],
            Status::Refused => &[
                "Từ chối",
                "Từ chối giải quyết",
                "Không đủ điều kiện",
                "Trả hồ sơ không giải quyết",
            ],
            Status::Withdrawn => &[
                "Đã rút hồ sơ",
                "Rút hồ sơ",
                "Hủy",
                "Đã hủy",
                "Dừng xử lý theo đề nghị",
            ],
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Online,
    Direct,
    Postal,
}

impl Channel {
    pub fn spellings(self) -> &'static [&'static str] {
        match self {
            Channel::Online => &[
                "Trực tuyến",
                "Nộp trực tuyến",
                "Qua mạng",
                "DVCTT",
                "Dịch vụ công trực tuyến",
            ],
            Channel::Direct => &["Trực tiếp", "Nộp trực tiếp", "Tại bộ phận một cửa"],
            Channel::Postal => &[
                "Bưu chính",
                "Qua bưu điện",
                "Bưu chính công ích",
                "Dịch vụ bưu chính công ích",
                "BCCI",
            ],
        }
    }
}

/// Public holidays (days off for public offices) that the due-date
/// arithmetic skips, 2023–2025.
pub const HOLIDAYS: &[(i32, u32, u32)] = &[
    (2023, 1, 2),
    (2023, 1, 20),
    (2023, 1, 23),
    (2023, 1, 24),
    (2023, 1, 25),
    (2023, 1, 26),
    (2023, 5, 1),
    (2023, 5, 2),
    (2023, 5, 3),
    (2023, 9, 1),
    (2023, 9, 4),
    (2024, 1, 1),
    (2024, 2, 8),
    (2024, 2, 9),
    (2024, 2, 12),
    (2024, 2, 13),
    (2024, 2, 14),
    (2024, 4, 18),
    (2024, 4, 29),
    (2024, 4, 30),
    (2024, 5, 1),
    (2024, 9, 2),
    (2024, 9, 3),
    (2025, 1, 1),
    (2025, 1, 27),
    (2025, 1, 28),
    (2025, 1, 29),
    (2025, 1, 30),
    (2025, 1, 31),
    (2025, 4, 7),
    (2025, 4, 30),
    (2025, 5, 1),
    (2025, 5, 2),
];
