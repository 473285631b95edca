//! Factor codes (监测因子编码, Appendix B): what `xxxxxx` in `xxxxxx-Rtd` stands for.
//!
//! The table holds Tables B.1 (water, from HJ 525-2009), B.2 (gas, from HJ 524-2009) and B.3
//! (noise) of HJ 212-2017, each code with its HJ/T 212-2005 predecessor ("原编码") so that a
//! 2005-style packet's `011-Rtd` is recognised as COD (w01018). Two codes that Appendix B does
//! not list are added because monitoring stations send them: w01003 turbidity (HJ 525-2009)
//! and a05024 ozone (HJ 524-2009). Process codes (e/g, Tables B.4–B.7) and field-device
//! information codes (i, Table B.10) are patterns with device numbers and are not listed.
//!
//! Units: [`CodeInfo::unit`] is the default concentration unit of Appendix B, where
//! [`Unit`] has it; [`CodeInfo::unit_text`] always spells it. Two departures from the printed
//! table, both deliberate:
//! * Particulate matter (a34001 TSP, a34002 PM10, a34004 PM2.5, a34005 PM1.0) is printed in
//!   纳克/立方米 (ng/m³), which is implausible: real stations send µg/m³ magnitudes
//!   (`a34004-Rtd=24.82`), so they are read as µg/m³ (standards.md §1.8).
//! * Appendix B's gas units are those of emission sources (mg/m³). Ambient air-quality
//!   stations (ST=22) report SO₂, NO₂, NO, NOx and O₃ in µg/m³ and CO in mg/m³, as HJ 633 and
//!   CNEMC publish them; [`CodeInfo::unit_for`] answers per system code.

use crate::parameter::Parameter;
use crate::units::Unit;

/// The system code (ST, Table 5) of ambient air-quality monitoring.
pub const ST_AIR_QUALITY: &str = "22";

/// What Daylight knows about one factor code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeInfo {
    /// The HJ 212-2017 code (Appendix B).
    pub current_code: &'static str,
    /// The HJ/T 212-2005 code it replaces, if any.
    pub legacy_code: Option<&'static str>,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The Daylight parameter the value feeds, for the codes that public pages show.
    pub parameter: Option<Parameter>,
    /// The unit of a concentration value (`-Rtd`, `-Avg`…) by default, when [`Unit`] has it.
    pub unit: Option<Unit>,
    /// That unit written out (`mg/L`, `L/s`, `个/L`…); empty for dimensionless values.
    pub unit_text: &'static str,
    /// The unit of a cumulative value (`-Cou`: emission load, volume), empty if none.
    pub cou_unit_text: &'static str,
    /// The unit ambient air-quality stations (ST=22) use when it differs from [`Self::unit`].
    pub ambient_unit: Option<Unit>,
}

impl CodeInfo {
    /// The unit a value of this code is in, for a packet of system `st`.
    pub fn unit_for(&self, st: &str) -> Option<Unit> {
        match self.ambient_unit {
            Some(unit) if st == ST_AIR_QUALITY => Some(unit),
            _ => self.unit,
        }
    }

    /// A value of this code from a packet of system `st` as the Daylight parameter and its
    /// canonical unit ([`Parameter::unit`]); `None` for codes without a parameter.
    pub fn reading(&self, st: &str, value: f64) -> Option<(Parameter, f64)> {
        let parameter = self.parameter?;
        let unit = self.unit_for(st)?;
        parameter
            .to_canonical(value, unit)
            .ok()
            .map(|v| (parameter, v))
    }
}

/// Finds a code, current or 2005. Codes are case-sensitive, as field names are (§6.3.3.2.1).
pub fn lookup(code: &str) -> Option<&'static CodeInfo> {
    CODES
        .iter()
        .find(|c| c.current_code == code)
        .or_else(|| CODES.iter().find(|c| c.legacy_code == Some(code)))
}

/// The current code that carries `parameter`, for writing packets (the demo's simulated
/// loggers, test clients). Parameters that HJ 212 has no code for (the 8-hour and 24-hour
/// means, which are computed from hourly values) have none.
pub fn for_parameter(parameter: Parameter) -> Option<&'static CodeInfo> {
    CODES.iter().find(|c| c.parameter == Some(parameter))
}

/// Every code the table knows, water first, then gas, then noise.
pub fn all() -> &'static [CodeInfo] {
    CODES
}

/// Unit shorthands for the table rows: the parsed unit (if [`Unit`] has it) and its spelling.
#[derive(Clone, Copy)]
enum U {
    None,
    Ph,
    MgL,
    UgL,
    NgL,
    UsCm,
    Ntu,
    Celsius,
    PerL,
    BqL,
    ColourDegree,
    LPerS,
    MgM3,
    UgM3,
    NgM3,
    M3PerS,
    Percent,
    KPa,
    MPerS,
    AngleDegree,
    M2,
    TPerKm2Month,
    Db,
}

const fn unit_of(u: U) -> (Option<Unit>, &'static str) {
    match u {
        U::None => (None, ""),
        U::Ph => (Some(Unit::Ph), "pH"),
        U::MgL => (Some(Unit::MilligramsPerLitre), "mg/L"),
        U::UgL => (None, "µg/L"),
        U::NgL => (None, "ng/L"),
        U::UsCm => (Some(Unit::MicrosiemensPerCentimetre), "µS/cm"),
        U::Ntu => (Some(Unit::Ntu), "NTU"),
        U::Celsius => (Some(Unit::DegreesCelsius), "℃"),
        U::PerL => (None, "个/L"),
        U::BqL => (None, "Bq/L"),
        U::ColourDegree => (None, "度"),
        U::LPerS => (None, "L/s"),
        U::MgM3 => (Some(Unit::MilligramsPerCubicMetre), "mg/m³"),
        U::UgM3 => (Some(Unit::MicrogramsPerCubicMetre), "µg/m³"),
        U::NgM3 => (None, "ng/m³"),
        U::M3PerS => (None, "m³/s"),
        U::Percent => (None, "%"),
        U::KPa => (None, "kPa"),
        U::MPerS => (None, "m/s"),
        U::AngleDegree => (None, "°"),
        U::M2 => (None, "m²"),
        U::TPerKm2Month => (None, "t/(km²·month)"),
        U::Db => (Some(Unit::DecibelsA), "dB(A)"),
    }
}

/// A table row. `legacy` "" means none; `cou` "" means no cumulative unit.
const fn c(
    code: &'static str,
    legacy: &'static str,
    zh: &'static str,
    en: &'static str,
    parameter: Option<Parameter>,
    u: U,
    cou: &'static str,
) -> CodeInfo {
    let (unit, unit_text) = unit_of(u);
    CodeInfo {
        current_code: code,
        legacy_code: if legacy.is_empty() {
            None
        } else {
            Some(legacy)
        },
        name_zh: zh,
        name_en: en,
        parameter,
        unit,
        unit_text,
        cou_unit_text: cou,
        ambient_unit: None,
    }
}

/// A gas measured by ambient stations in `ambient` rather than Appendix B's unit.
const fn ambient(info: CodeInfo, ambient: Unit) -> CodeInfo {
    CodeInfo {
        ambient_unit: Some(ambient),
        ..info
    }
}

use Parameter as P;
const UG: Unit = Unit::MicrogramsPerCubicMetre;
const MG: Unit = Unit::MilligramsPerCubicMetre;

#[rustfmt::skip]
static CODES: &[CodeInfo] = &[
    // Table B.1 水监测因子编码表 (HJ 525-2009).
    c("w00000", "B01", "污水", "Wastewater flow", None, U::LPerS, "m³"),
    c("w01001", "001", "pH值", "pH", Some(P::Ph), U::Ph, ""),
    c("w01002", "002", "色度", "Colour", None, U::ColourDegree, ""),
    c("w01003", "", "浑浊度", "Turbidity", Some(P::Turbidity), U::Ntu, ""),
    c("w01006", "", "溶解性总固体", "Total dissolved solids", None, U::MgL, "kg"),
    c("w01009", "", "溶解氧", "Dissolved oxygen", Some(P::DissolvedOxygen), U::MgL, ""),
    c("w01010", "", "水温", "Water temperature", Some(P::WaterTemperature), U::Celsius, ""),
    c("w01012", "003", "悬浮物", "Suspended solids", None, U::MgL, "kg"),
    c("w01014", "", "电导率", "Conductivity", Some(P::Conductivity), U::UsCm, ""),
    c("w01017", "010", "五日生化需氧量", "Five-day biochemical oxygen demand (BOD5)", None, U::MgL, "kg"),
    c("w01018", "011", "化学需氧量", "Chemical oxygen demand (COD)", None, U::MgL, "kg"),
    c("w01019", "", "高锰酸盐指数", "Permanganate index (CODMn)", Some(P::CodMn), U::MgL, "kg"),
    c("w01020", "015", "总有机碳", "Total organic carbon", None, U::MgL, "kg"),
    c("w02003", "550", "粪大肠菌群", "Faecal coliforms", None, U::PerL, ""),
    c("w02006", "", "细菌总数", "Total bacterial count", None, U::PerL, ""),
    c("w03001", "570", "总α放射性", "Gross alpha activity", None, U::BqL, ""),
    c("w03002", "571", "总β放射性", "Gross beta activity", None, U::BqL, ""),
    c("w19001", "", "表面活性剂", "Surfactants", None, U::MgL, "kg"),
    c("w19002", "520", "阴离子表面活性剂", "Anionic surfactants", None, U::MgL, "kg"),
    c("w20012", "039", "钡", "Barium", None, U::MgL, "kg"),
    c("w20023", "037", "硼", "Boron", None, U::MgL, "kg"),
    c("w20038", "040", "钴", "Cobalt", None, U::MgL, "kg"),
    c("w20061", "038", "钼", "Molybdenum", None, U::MgL, "kg"),
    c("w20089", "041", "铊", "Thallium", None, U::NgL, "mg"),
    c("w20092", "036", "锡", "Tin", None, U::MgL, "kg"),
    c("w20111", "020", "总汞", "Total mercury", None, U::UgL, "g"),
    c("w20113", "021", "烷基汞", "Alkyl mercury", None, U::NgL, "mg"),
    c("w20115", "022", "总镉", "Total cadmium", None, U::UgL, "g"),
    c("w20116", "023", "总铬", "Total chromium", None, U::MgL, "kg"),
    c("w20117", "024", "六价铬", "Hexavalent chromium", None, U::UgL, "g"),
    c("w20119", "026", "总砷", "Total arsenic", None, U::UgL, "g"),
    c("w20120", "027", "总铅", "Total lead", None, U::UgL, "g"),
    c("w20121", "028", "总镍", "Total nickel", None, U::MgL, "kg"),
    c("w20122", "029", "总铜", "Total copper", None, U::MgL, "kg"),
    c("w20123", "030", "总锌", "Total zinc", None, U::MgL, "kg"),
    c("w20124", "031", "总锰", "Total manganese", None, U::MgL, "kg"),
    c("w20125", "032", "总铁", "Total iron", None, U::MgL, "kg"),
    c("w20126", "033", "总银", "Total silver", None, U::MgL, "kg"),
    c("w20127", "034", "总铍", "Total beryllium", None, U::UgL, "g"),
    c("w20128", "035", "总硒", "Total selenium", None, U::UgL, "g"),
    c("w20138", "", "铜", "Copper", None, U::MgL, "kg"),
    c("w20139", "", "锌", "Zinc", None, U::MgL, "kg"),
    c("w20140", "", "硒", "Selenium", None, U::MgL, "kg"),
    c("w20141", "", "砷", "Arsenic", None, U::MgL, "kg"),
    c("w20142", "", "汞", "Mercury", None, U::UgL, "g"),
    c("w20143", "", "镉", "Cadmium", None, U::UgL, "g"),
    c("w20144", "", "铅", "Lead", None, U::MgL, "kg"),
    c("w21001", "065", "总氮", "Total nitrogen", Some(P::TotalNitrogen), U::MgL, "kg"),
    c("w21003", "060", "氨氮", "Ammonia nitrogen", Some(P::Nh3N), U::MgL, "kg"),
    c("w21004", "062", "凯氏氮", "Kjeldahl nitrogen", None, U::MgL, "kg"),
    c("w21006", "063", "亚硝酸盐", "Nitrite", None, U::MgL, "kg"),
    c("w21007", "064", "硝酸盐", "Nitrate", None, U::MgL, "kg"),
    c("w21011", "101", "总磷", "Total phosphorus", Some(P::TotalPhosphorus), U::MgL, "kg"),
    c("w21016", "070", "氰化物", "Cyanide", None, U::MgL, "kg"),
    c("w21017", "072", "氟化物", "Fluoride", None, U::MgL, "kg"),
    c("w21019", "071", "硫化物", "Sulphide", None, U::MgL, "kg"),
    c("w21022", "090", "氯化物", "Chloride", None, U::MgL, "kg"),
    c("w21038", "", "硫酸盐", "Sulphate", None, U::MgL, "kg"),
    c("w22001", "080", "石油类", "Petroleum oils", None, U::MgL, "kg"),
    c("w23002", "110", "挥发酚", "Volatile phenols", None, U::MgL, "kg"),
    c("w25043", "540", "苯并[α]芘", "Benzo[a]pyrene", None, U::UgL, "g"),
    c("w33001", "350", "六六六", "Hexachlorocyclohexane (BHC)", None, U::NgL, "mg"),
    c("w33007", "351", "滴滴涕", "DDT", None, U::NgL, "mg"),
    c("w99001", "061", "有机氮", "Organic nitrogen", None, U::MgL, "kg"),
    // Table B.2 气监测因子编码表 (HJ 524-2009).
    c("a00000", "B02", "废气", "Flue-gas flow", None, U::M3PerS, "m³"),
    c("a01001", "", "温度", "Temperature", None, U::Celsius, ""),
    c("a01002", "", "湿度", "Humidity", None, U::Percent, ""),
    c("a01006", "", "气压", "Atmospheric pressure", None, U::KPa, ""),
    c("a01007", "", "风速", "Wind speed", None, U::MPerS, ""),
    c("a01008", "", "风向", "Wind direction", None, U::AngleDegree, ""),
    c("a01010", "37", "林格曼黑度", "Ringelmann blackness", None, U::None, ""),
    c("a01011", "S02", "烟气流速", "Flue-gas velocity", None, U::MPerS, ""),
    c("a01012", "S03", "烟气温度", "Flue-gas temperature", None, U::Celsius, ""),
    c("a01013", "S08", "烟气压力", "Flue-gas pressure", None, U::KPa, ""),
    c("a01014", "S05", "烟气湿度", "Flue-gas humidity", None, U::Percent, ""),
    c("a01015", "S06", "制冷温度", "Cooler temperature", None, U::Celsius, ""),
    c("a01016", "S07", "烟道截面积", "Flue cross-section area", None, U::M2, ""),
    c("a01017", "S04", "烟气动压", "Flue-gas dynamic pressure", None, U::KPa, ""),
    c("a01901", "", "垃圾焚烧炉膛内焚烧平均温度", "Waste incinerator furnace mean temperature", None, U::Celsius, ""),
    c("a01902", "", "垃圾焚烧炉膛内DCS温度", "Waste incinerator furnace DCS temperature", None, U::Celsius, ""),
    c("a05001", "30", "二氧化碳", "Carbon dioxide", None, U::MgM3, "kg"),
    c("a05002", "", "甲烷", "Methane", None, U::NgM3, "g"),
    c("a05008", "", "三氯一氟甲烷", "Trichlorofluoromethane", None, U::MgM3, "kg"),
    c("a05009", "", "二氯二氟甲烷", "Dichlorodifluoromethane", None, U::MgM3, "kg"),
    c("a05013", "", "三氯三氟乙烷", "Trichlorotrifluoroethane", None, U::MgM3, "kg"),
    ambient(c("a05024", "", "臭氧", "Ozone", Some(P::O3), U::UgM3, ""), UG),
    c("a19001", "S01", "氧气含量", "Oxygen content", None, U::Percent, ""),
    c("a20007", "", "砷", "Arsenic", None, U::NgM3, "g"),
    c("a20016", "36", "铍及其化合物", "Beryllium and compounds", None, U::MgM3, "kg"),
    c("a20025", "33", "镉及其化合物", "Cadmium and compounds", None, U::MgM3, "kg"),
    c("a20026", "", "镉", "Cadmium", None, U::NgM3, "g"),
    c("a20043", "32", "铅及其化合物", "Lead and compounds", None, U::MgM3, "kg"),
    c("a20044", "", "铅", "Lead", None, U::NgM3, "g"),
    c("a20057", "31", "汞及其化合物", "Mercury and compounds", None, U::MgM3, "kg"),
    c("a20058", "", "汞", "Mercury", None, U::NgM3, "g"),
    c("a20063", "35", "镍及其化合物", "Nickel and compounds", None, U::MgM3, "kg"),
    c("a20091", "34", "锡及其化合物", "Tin and compounds", None, U::MgM3, "kg"),
    c("a21001", "10", "氨（氨气）", "Ammonia", None, U::NgM3, "g"),
    ambient(c("a21002", "03", "氮氧化物", "Nitrogen oxides (NOx)", None, U::MgM3, "kg"), UG),
    ambient(c("a21003", "", "一氧化氮", "Nitric oxide", None, U::MgM3, "kg"), UG),
    ambient(c("a21004", "", "二氧化氮", "Nitrogen dioxide", Some(P::No2), U::MgM3, "kg"), UG),
    ambient(c("a21005", "04", "一氧化碳", "Carbon monoxide", Some(P::Co), U::MgM3, "kg"), MG),
    c("a21017", "07", "氰化物", "Cyanide", None, U::MgM3, "kg"),
    c("a21018", "06", "氟化物", "Fluoride", None, U::MgM3, "kg"),
    c("a21022", "11", "氯气", "Chlorine", None, U::MgM3, "kg"),
    c("a21024", "08", "氯化氢", "Hydrogen chloride", None, U::MgM3, "kg"),
    ambient(c("a21026", "02", "二氧化硫", "Sulphur dioxide", Some(P::So2), U::MgM3, "kg"), UG),
    c("a21028", "05", "硫化氢", "Hydrogen sulphide", None, U::MgM3, "kg"),
    c("a23001", "27", "酚类", "Phenols", None, U::MgM3, "kg"),
    c("a24003", "", "二氯甲烷", "Dichloromethane", None, U::MgM3, "kg"),
    c("a24004", "", "三氯甲烷", "Trichloromethane", None, U::MgM3, "kg"),
    c("a24005", "", "四氯甲烷", "Tetrachloromethane", None, U::MgM3, "kg"),
    c("a24006", "", "二溴一氯甲烷", "Dibromochloromethane", None, U::MgM3, "kg"),
    c("a24007", "", "一溴二氯甲烷", "Bromodichloromethane", None, U::MgM3, "kg"),
    c("a24008", "", "溴甲烷", "Bromomethane", None, U::MgM3, "kg"),
    c("a24009", "", "三溴甲烷", "Tribromomethane", None, U::MgM3, "kg"),
    c("a24015", "", "氯乙烷", "Chloroethane", None, U::MgM3, "kg"),
    c("a24016", "", "1,1-二氯乙烷", "1,1-Dichloroethane", None, U::MgM3, "kg"),
    c("a24017", "", "1,2-二氯乙烷", "1,2-Dichloroethane", None, U::MgM3, "kg"),
    c("a24018", "", "1,1,1-三氯乙烷", "1,1,1-Trichloroethane", None, U::MgM3, "kg"),
    c("a24019", "", "1,1,2-三氯乙烷", "1,1,2-Trichloroethane", None, U::MgM3, "kg"),
    c("a24020", "", "1,1,2,2-四氯乙烷", "1,1,2,2-Tetrachloroethane", None, U::MgM3, "kg"),
    c("a24027", "", "1,2-二氯丙烷", "1,2-Dichloropropane", None, U::MgM3, "kg"),
    c("a24034", "", "1,2-二溴乙烷", "1,2-Dibromoethane", None, U::MgM3, "kg"),
    c("a24036", "", "环己烷", "Cyclohexane", None, U::MgM3, "kg"),
    c("a24042", "", "正己烷", "n-Hexane", None, U::MgM3, "kg"),
    c("a24043", "", "正庚烷", "n-Heptane", None, U::MgM3, "kg"),
    c("a24046", "29", "氯乙烯", "Vinyl chloride", None, U::MgM3, "kg"),
    c("a24047", "", "1,1-二氯乙烯", "1,1-Dichloroethene", None, U::MgM3, "kg"),
    c("a24049", "", "三氯乙烯", "Trichloroethene", None, U::MgM3, "kg"),
    c("a24050", "", "四氯乙烯", "Tetrachloroethene", None, U::MgM3, "kg"),
    c("a24053", "", "丙烯", "Propene", None, U::MgM3, "kg"),
    c("a24054", "", "1,3-二氯丙烯", "1,3-Dichloropropene", None, U::MgM3, "kg"),
    c("a24072", "", "1,4-二恶烷", "1,4-Dioxane", None, U::MgM3, "kg"),
    c("a24078", "", "1,3-丁二烯", "1,3-Butadiene", None, U::MgM3, "kg"),
    c("a24087", "25", "碳氢化合物", "Hydrocarbons", None, U::MgM3, "kg"),
    c("a24088", "", "非甲烷总烃", "Non-methane hydrocarbons", None, U::MgM3, "kg"),
    c("a24099", "", "氯甲烷", "Chloromethane", None, U::MgM3, "kg"),
    c("a24110", "", "反式-1,2-二氯乙烯", "trans-1,2-Dichloroethene", None, U::MgM3, "kg"),
    c("a24111", "", "顺式-1,2-二氯乙烯", "cis-1,2-Dichloroethene", None, U::MgM3, "kg"),
    c("a24112", "", "反式-1,3-二氯丙烯", "trans-1,3-Dichloropropene", None, U::MgM3, "kg"),
    c("a24113", "", "六氯-1,3-丁二烯", "Hexachloro-1,3-butadiene", None, U::MgM3, "kg"),
    c("a25002", "", "苯", "Benzene", None, U::MgM3, "kg"),
    c("a25003", "17", "甲苯", "Toluene", None, U::MgM3, "kg"),
    c("a25004", "", "乙苯", "Ethylbenzene", None, U::MgM3, "kg"),
    c("a25005", "18", "二甲苯", "Xylenes", None, U::MgM3, "kg"),
    c("a25006", "", "1,2-二甲基苯", "1,2-Dimethylbenzene", None, U::MgM3, "kg"),
    c("a25007", "", "1,3-二甲基苯", "1,3-Dimethylbenzene", None, U::MgM3, "kg"),
    c("a25008", "", "1,4-二甲基苯", "1,4-Dimethylbenzene", None, U::MgM3, "kg"),
    c("a25010", "23", "氯苯", "Chlorobenzene", None, U::MgM3, "kg"),
    c("a25011", "", "1,2-二氯苯", "1,2-Dichlorobenzene", None, U::MgM3, "kg"),
    c("a25012", "", "1,3-二氯苯", "1,3-Dichlorobenzene", None, U::MgM3, "kg"),
    c("a25013", "", "1,4-二氯苯", "1,4-Dichlorobenzene", None, U::MgM3, "kg"),
    c("a25014", "", "1-乙基-4-甲基苯", "1-Ethyl-4-methylbenzene", None, U::MgM3, "kg"),
    c("a25015", "", "1,2,4-三氯苯", "1,2,4-Trichlorobenzene", None, U::MgM3, "kg"),
    c("a25019", "", "1,2,4-三甲基苯", "1,2,4-Trimethylbenzene", None, U::MgM3, "kg"),
    c("a25020", "", "1,2,3-三甲基苯", "1,2,3-Trimethylbenzene", None, U::MgM3, "kg"),
    c("a25021", "", "1,3,5-三甲基苯", "1,3,5-Trimethylbenzene", None, U::MgM3, "kg"),
    c("a25023", "22", "硝基苯", "Nitrobenzene", None, U::MgM3, "kg"),
    c("a25038", "", "乙烯基苯", "Styrene", None, U::MgM3, "kg"),
    c("a25044", "20", "苯并[a]芘", "Benzo[a]pyrene", None, U::MgM3, "kg"),
    c("a25072", "", "四氢呋喃", "Tetrahydrofuran", None, U::MgM3, "kg"),
    c("a26001", "21", "苯胺类", "Anilines", None, U::MgM3, "kg"),
    c("a29017", "", "乙酸乙酯", "Ethyl acetate", None, U::MgM3, "kg"),
    c("a29026", "", "乙酸乙烯酯", "Vinyl acetate", None, U::MgM3, "kg"),
    c("a30001", "28", "甲醇", "Methanol", None, U::MgM3, "kg"),
    c("a30008", "", "异丙醇", "Isopropanol", None, U::MgM3, "kg"),
    c("a30022", "13", "硫醇", "Mercaptans", None, U::MgM3, "kg"),
    c("a31001", "19", "甲醛", "Formaldehyde", None, U::MgM3, "kg"),
    c("a31002", "26", "乙醛", "Acetaldehyde", None, U::MgM3, "kg"),
    c("a31024", "", "丙酮", "Acetone", None, U::MgM3, "kg"),
    c("a31025", "", "2-丁酮", "2-Butanone", None, U::MgM3, "kg"),
    c("a31030", "", "甲基异丁基甲酮", "Methyl isobutyl ketone", None, U::MgM3, "kg"),
    c("a34001", "", "总悬浮颗粒物TSP", "Total suspended particulates (TSP)", None, U::UgM3, "g"),
    c("a34002", "", "可吸入颗粒物PM10", "PM10", Some(P::Pm10), U::UgM3, "g"),
    c("a34004", "", "细微颗粒物PM2.5", "PM2.5", Some(P::Pm25), U::UgM3, "g"),
    c("a34005", "", "亚微米颗粒物PM1.0", "PM1.0", None, U::UgM3, "g"),
    c("a34011", "", "降尘", "Dustfall", None, U::TPerKm2Month, ""),
    c("a34013", "01", "烟尘", "Smoke and dust (stack particulates)", None, U::MgM3, "kg"),
    c("a34017", "", "炭黑尘", "Carbon black dust", None, U::MgM3, "kg"),
    c("a34038", "09", "沥青烟", "Asphalt fumes", None, U::MgM3, "kg"),
    c("a34039", "14", "硫酸雾", "Sulphuric acid mist", None, U::MgM3, "kg"),
    c("a34040", "15", "铬酸雾", "Chromic acid mist", None, U::MgM3, "kg"),
    c("a99010", "", "丙烯腈", "Acrylonitrile", None, U::MgM3, "kg"),
    c("a99049", "24", "光气", "Phosgene", None, U::MgM3, "kg"),
    c("a99051", "12", "二硫化碳", "Carbon disulphide", None, U::MgM3, "kg"),
    // Table B.3 声环境监测因子编码表.
    c("LA", "", "A权声级", "A-weighted sound level", None, U::Db, ""),
    c("L5", "", "累计百分声级L5", "Percentile level L5", None, U::Db, ""),
    c("L10", "", "累计百分声级L10", "Percentile level L10", None, U::Db, ""),
    c("L50", "", "累计百分声级L50", "Percentile level L50", None, U::Db, ""),
    c("L90", "", "累计百分声级L90", "Percentile level L90", None, U::Db, ""),
    c("L95", "", "累计百分声级L95", "Percentile level L95", None, U::Db, ""),
    c("Leq", "", "等效声级", "Equivalent continuous sound level", None, U::Db, ""),
    c("Ldn", "", "昼夜等效声级", "Day-night equivalent sound level", None, U::Db, ""),
    c("Ld", "", "昼间等效声级", "Daytime equivalent sound level", None, U::Db, ""),
    c("Ln", "", "夜间等效声级", "Night-time equivalent sound level", None, U::Db, ""),
    c("LMx", "", "最大的瞬时声级", "Maximum instantaneous sound level", None, U::Db, ""),
    c("LMn", "", "最小的瞬时声级", "Minimum instantaneous sound level", None, U::Db, ""),
];
