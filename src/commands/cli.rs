//! Command-line arguments (clap derive). The doc comments are the `--help` text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// cchc — báo cáo cải cách hành chính quý từ dữ liệu xuất của hệ thống giải quyết TTHC.
#[derive(Debug, Parser)]
#[command(name = "cchc", version, about)]
pub struct Cli {
    /// The command; none prints the steps of a commune's report.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Đọc mọi tệp đầu vào, tính số liệu của kỳ và ghi toàn bộ kết quả.
    Run(RunCommandArgs),
    /// Chỉ đọc và kiểm tra tệp đầu vào; ghi báo cáo chất lượng dữ liệu.
    Check(RunArgs),
    /// Đọc tệp đầu vào vào kho dữ liệu (tệp không đổi thì bỏ qua), không tính số liệu.
    Ingest(RunArgs),
    /// In số liệu biểu 06 của kỳ (bảng hoặc JSON).
    Indicators(IndicatorsArgs),
    /// Tạo thư mục quy trình mới (một xã, phường, đặc khu: --code), với cấu hình ban đầu để sửa.
    Init(InitArgs),
    /// Sinh bộ tệp xuất mẫu (xác định theo hạt giống) để thử hoặc đo tốc độ.
    Sample(SampleArgs),
    /// Ghi biểu mẫu báo cáo quý của từng đơn vị (bao-cao-don-vi-<kỳ>/<đơn-vị>.xlsx).
    Forms(FormsArgs),
    /// Danh sách cảnh báo sớm của một ngày: hồ sơ sắp đến hạn, quá hạn, phải xin lỗi, PAKN và
    /// nhiệm vụ sắp đến hạn, theo đơn vị (canh-bao-<ngày>.xlsx, .html; chỉ dùng nội bộ).
    Alerts(AlertsArgs),
    /// Chỉ số 766 (Quyết định 766/QĐ-TTg) ước tính theo tuần, tháng, quý, năm dương lịch cho
    /// từng xã, phường và toàn địa phương, hồ sơ làm mất điểm, đối chiếu bảng điểm Cổng DVCQG
    /// (chi-so-766-<kỳ>.xlsx, .html).
    Scorecard(ScorecardArgs),
    Consolidate(ConsolidateArgs),
    /// Kế hoạch CCHC của địa phương: đọc bảng phụ lục nhiệm vụ từ tệp Word hoặc Excel.
    #[command(subcommand)]
    Plan(PlanCommand),
}

/// Commands of `plan`.
#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Đọc bảng phụ lục "Kế hoạch cụ thể triển khai các nhiệm vụ" (STT, Nhiệm vụ cụ thể, Sản phẩm,
    /// Cơ quan chủ trì, Cơ quan phối hợp, Thời gian hoàn thành) của tệp .docx hoặc .xlsx và ghi
    /// tasks.toml của quy trình; nhiệm vụ chưa chắc chắn được đánh dấu confirm = true và liệt kê.
    Import(PlanImportArgs),
}

/// Arguments of `plan import`.
#[derive(Debug, Args)]
pub struct PlanImportArgs {
    /// Tệp kế hoạch (.docx hoặc .xlsx).
    pub file: PathBuf,
    /// Tệp quy trình (mặc định pipelines/quarterly.toml): danh mục đơn vị để nhận ra đơn vị chủ
    /// trì, và nơi ghi tasks.toml.
    #[arg(default_value = "pipelines/quarterly.toml")]
    pub pipeline: PathBuf,
    /// Năm của kế hoạch; mặc định: năm ghi nhiều nhất ở cột thời gian hoàn thành.
    #[arg(long)]
    pub year: Option<i32>,
    /// Ghi ra tệp này thay cho tasks.toml của quy trình.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Thay tasks.toml (và targets-de-xuat.toml) đã có.
    #[arg(long)]
    pub force: bool,
}

/// Arguments of `alerts`.
#[derive(Debug, Args)]
pub struct AlertsArgs {
    /// Tệp quy trình (mặc định pipelines/quarterly.toml).
    #[arg(default_value = "pipelines/quarterly.toml")]
    pub pipeline: PathBuf,
    /// Ngày xem danh sách, dạng năm-tháng-ngày (2024-03-11); mặc định: hôm nay.
    #[arg(long = "as-of")]
    pub as_of: Option<String>,
    /// Số ngày làm việc của "sắp đến hạn"; mặc định: days trong mục \[alerts\] của tệp quy trình.
    #[arg(long)]
    pub days: Option<u32>,
    /// Thư mục hoặc tệp đầu vào (lặp lại được); mặc định: đầu vào của tệp quy trình.
    #[arg(long = "input")]
    pub inputs: Vec<PathBuf>,
    /// Thư mục kho dữ liệu (Parquet); mặc định: thư mục store cạnh tệp quy trình.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// Không dùng kho dữ liệu: chỉ đọc các tệp đầu vào.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
    /// Lập danh sách từ mọi tệp trong kho dữ liệu; không có --input thì không đọc lại tệp xuất.
    #[arg(long, conflicts_with = "no_store")]
    pub all_stored: bool,
    /// Thư mục ghi danh sách (mặc định out/canh-bao cạnh tệp quy trình).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Không hiện thanh tiến trình.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `scorecard`.
#[derive(Debug, Args)]
pub struct ScorecardArgs {
    /// Tệp quy trình (mặc định pipelines/quarterly.toml); index766.toml cạnh tệp này (nếu có)
    /// thay cấu hình Chỉ số 766 mặc định.
    #[arg(default_value = "pipelines/quarterly.toml")]
    pub pipeline: PathBuf,
    /// Kỳ dương lịch: tuần 2025-W47, tháng 2025-11, quý 2025-Q4, năm 2025; danh sách
    /// (2025-W46,2025-W47) hoặc khoảng (2025-W01..2025-W52), đọc dữ liệu một lần.
    #[arg(long, required = true)]
    pub period: String,
    /// Thư mục hoặc tệp đầu vào (lặp lại được); mặc định: đầu vào của tệp quy trình.
    #[arg(long = "input")]
    pub inputs: Vec<PathBuf>,
    /// Bảng điểm Chỉ số 766 của Cổng DVCQG (xlsx, csv), lặp lại được: mỗi bảng một kỳ (theo
    /// ngày ở dòng tiêu đề, hoặc kỳ duy nhất đã nêu).
    #[arg(long)]
    pub portal: Vec<PathBuf>,
    /// Thư mục kho dữ liệu (Parquet); mặc định: thư mục store cạnh tệp quy trình.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// Không dùng kho dữ liệu: chỉ đọc các tệp đầu vào.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
    /// Thư mục ghi bảng điểm (mặc định out/chi-so-766).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Không hiện thanh tiến trình.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Arguments of `consolidate`.
#[derive(Debug, Args)]
pub struct ConsolidateArgs {
    /// Mã tỉnh, thành phố trong danh mục đơn vị hành chính (79: Thành phố Hồ Chí Minh).
    #[arg(long)]
    pub province: String,
    /// Kỳ báo cáo, ví dụ 2025-Q4: tệp của kỳ khác không được tiếp nhận.
    #[arg(long)]
    pub period: String,
    /// Thư mục (đọc mọi tệp .json bên trong) hoặc tệp báo cáo của các địa phương (lặp lại được).
    #[arg(long = "input", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Thư mục kết quả (mặc định out/tong-hop-<mã tỉnh>-<kỳ>).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Tệp quy ước tổng hợp (mặc định: pipelines/consolidation.toml dựng sẵn).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Thư mục mẫu có thư mục con consolidation/ thay mẫu mặc định theo từng tệp.
    #[arg(long)]
    pub templates: Option<PathBuf>,
}

/// Arguments of `forms`.
#[derive(Debug, Args)]
pub struct FormsArgs {
    /// Tệp quy trình (mặc định pipelines/quarterly.toml).
    #[arg(default_value = "pipelines/quarterly.toml")]
    pub pipeline: PathBuf,
    /// Quý báo cáo (2024-Q1 … 2024-Q4); mặc định: kỳ trong tệp quy trình.
    #[arg(long)]
    pub period: Option<String>,
    /// Thư mục chứa thư mục biểu mẫu bao-cao-don-vi-<kỳ> (mặc định: thư mục out cạnh tệp quy
    /// trình).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Ghi đè thư mục biểu mẫu mà một quy trình khác đã ghi.
    #[arg(long)]
    pub force: bool,
}

/// Arguments shared by the commands that read inputs.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Tệp quy trình (mặc định pipelines/quarterly.toml).
    #[arg(default_value = "pipelines/quarterly.toml")]
    pub pipeline: PathBuf,
    /// Kỳ báo cáo: 2024-Q1 … 2024-Q4, 2024-H1, 2024-M9, 2024-Y; danh sách (2024-Q1,2024-H1) hoặc
    /// khoảng (2023-Q1..2024-Q4). Mặc định: kỳ trong tệp quy trình.
    #[arg(long)]
    pub period: Option<String>,
    /// Thư mục hoặc tệp đầu vào (lặp lại được); mặc định: đầu vào của tệp quy trình.
    #[arg(long = "input")]
    pub inputs: Vec<PathBuf>,
    /// Thư mục kết quả (mặc định out/<kỳ> cạnh tệp quy trình).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Không hiện thanh tiến trình.
    #[arg(long, short)]
    pub quiet: bool,
    /// Thư mục kho dữ liệu (Parquet); mặc định: thư mục store cạnh tệp quy trình.
    #[arg(long)]
    pub store: Option<PathBuf>,
    /// Không dùng kho dữ liệu: chỉ đọc các tệp đầu vào của lần chạy này.
    #[arg(long, conflicts_with = "store")]
    pub no_store: bool,
    /// Tính trên mọi tệp trong kho dữ liệu, kể cả tệp không có trong đầu vào lần này.
    #[arg(long, conflicts_with = "no_store")]
    pub all_stored: bool,
}

/// Arguments of `run`.
#[derive(Debug, Args)]
pub struct RunCommandArgs {
    /// Inputs, period and pipeline.
    #[command(flatten)]
    pub run: RunArgs,
    /// Tính lại và ghi lại kết quả kể cả khi đầu vào, cấu hình và mẫu không đổi so với lần chạy
    /// trước, và ghi đè thư mục kết quả mà một quy trình khác đã ghi.
    #[arg(long)]
    pub force: bool,
}

/// Output format of `indicators`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// A text table.
    Table,
    /// The submission file (indicators.json).
    Json,
}

/// Arguments of `indicators`.
#[derive(Debug, Args)]
pub struct IndicatorsArgs {
    /// Inputs, period and pipeline.
    #[command(flatten)]
    pub run: RunArgs,
    /// table hoặc json.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Thư mục mới.
    pub dir: PathBuf,
    /// Loại địa phương: huyen (quận, huyện trước 7/2025, hai cấp đơn vị) hoặc xa (xã, phường
    /// báo cáo trực tiếp lên Thành phố từ 7/2025, một cấp đơn vị).
    #[arg(long, value_enum, default_value = "huyen")]
    pub locality: Locality,
    /// Mã chính thức của xã, phường, đặc khu (cột ma_xa của danh mục đơn vị hành chính cấp xã
    /// 2025, ví dụ 27592): tên, loại và tỉnh lấy từ danh mục. Có --code là quy trình một xã.
    #[arg(long)]
    pub code: Option<String>,
    /// Tên in trên báo cáo, khi muốn khác tên trong danh mục (cùng --code); không có --code thì
    /// tìm mã theo tên này trong danh mục.
    #[arg(long)]
    pub name: Option<String>,
    /// Kỳ báo cáo mặc định của quy trình (2025-Q4); mặc định: quý hiện tại.
    #[arg(long)]
    pub period: Option<String>,
}

/// Which shape of pipeline `init` writes.
#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum Locality {
    /// A district with district offices and communes.
    Huyen,
    /// A commune or ward after the 2025 reform, with one level of units.
    Xa,
}

/// Scale of a generated sample.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SampleScale {
    /// About 4,000 dossiers in 26 files (the committed sample).
    Sample,
    /// A district quarter: 26 files, about 60,000 dossiers.
    Quarter,
    /// A district over two years: about 500,000 dossiers.
    TwoYears,
    /// A city-year: about 300 files, 5 million dossiers.
    CityYear,
    /// A commune after 2025 (xã Hóc Môn): 3 files of 2025-Q3 and Q4.
    Commune,
    /// A province (HCMC, 79): the indicators.json of a dozen communes, 2025-Q4, for cchc
    /// consolidate.
    Province,
}

/// Arguments of `sample`.
#[derive(Debug, Args)]
pub struct SampleArgs {
    /// Thư mục ghi tệp mẫu.
    #[arg(long)]
    pub out: PathBuf,
    /// Hạt giống ngẫu nhiên.
    #[arg(long, default_value_t = 2024)]
    pub seed: u64,
    /// Quy mô.
    #[arg(long, value_enum, default_value = "sample")]
    pub scale: SampleScale,
    /// Chuyển tệp của một xã sang .xls bằng LibreOffice (soffice), nếu máy có.
    #[arg(long)]
    pub xls_via_soffice: bool,
    /// Với --scale commune: mã của xã, phường, đặc khu (danh mục 2025) mà tệp xuất mang tên
    /// (đơn vị, tên tệp); mặc định xã Hóc Môn.
    #[arg(long)]
    pub code: Option<String>,
}
