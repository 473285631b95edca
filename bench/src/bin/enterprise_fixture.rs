//! Writes the registry CSVs of `bench/enterprise.sh` (docs/import-formats.md) into a
//! directory: `page/` is one enterprise with five hourly series (an air outlet with three
//! pollutants and a wastewater outlet with two: the model allows an outlet only the
//! pollutants of its kind), `scan/` is 100 enterprises with 10 air outlets each (1,000
//! outlets, one SO2 series each). The script fills in a year of hourly values with SQL.

use std::fmt::Write as _;
use std::path::Path;

use daylight_domain::enterprise::credit_code::check_character;

/// A made-up credit code with a valid check character (organisation code 9 digits).
fn credit_code(n: usize) -> String {
    let first17 = format!("91610100MA{n:07}");
    let check = check_character(&first17).unwrap_or('0');
    format!("{first17}{check}")
}

fn write(dir: &Path, name: &str, text: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(name), text)
}

fn main() -> std::io::Result<()> {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: enterprise_fixture DIR");
        std::process::exit(2);
    };
    let out = Path::new(&out);
    let header_e = "credit_code,name,industry,district,lon,lat\n";
    let header_o = "credit_code,outlet,name,kind,stack_height\n";
    let header_l = "credit_code,outlet,pollutant,limit,unit,standard,averaging,method,frequency\n";

    let page = credit_code(1);
    write(
        &out.join("page"),
        "enterprises.csv",
        &format!("{header_e}{page},基准测试电厂,火力发电,灞桥区,109.06,34.28\n"),
    )?;
    write(
        &out.join("page"),
        "outlets.csv",
        &format!("{header_o}{page},DA001,1号烟囱,air,120\n{page},DW001,总排口,water,\n"),
    )?;
    let mut limits = header_l.to_string();
    for (outlet, pollutant, limit, unit, averaging) in [
        ("DA001", "a34013", 30, "mg/m3", "1h"),
        ("DA001", "a21026", 100, "mg/m3", "1h"),
        ("DA001", "a21002", 100, "mg/m3", "1h"),
        ("DW001", "w01018", 50, "mg/L", "24h"),
        ("DW001", "w21003", 5, "mg/L", "24h"),
    ] {
        let _ = writeln!(
            limits,
            "{page},{outlet},{pollutant},{limit},{unit},GB 13223-2011 表1,{averaging},automatic,hourly"
        );
    }
    write(&out.join("page"), "limits.csv", &limits)?;

    let (mut e, mut o, mut l) = (
        header_e.to_string(),
        header_o.to_string(),
        header_l.to_string(),
    );
    let mut codes = String::new();
    for n in 0..100 {
        let code = credit_code(1000 + n);
        let _ = writeln!(e, "{code},基准测试企业{n},火力发电,灞桥区,109.0,34.3");
        let _ = writeln!(codes, "{code}");
        for k in 1..=10 {
            let _ = writeln!(o, "{code},DA{k:03},{k}号烟囱,air,60");
            let _ = writeln!(
                l,
                "{code},DA{k:03},a21026,100,mg/m3,GB 13223-2011 表1,1h,automatic,hourly"
            );
        }
    }
    let scan = out.join("scan");
    write(&scan, "enterprises.csv", &e)?;
    write(&scan, "outlets.csv", &o)?;
    write(&scan, "limits.csv", &l)?;
    write(&scan, "codes.txt", &codes)?;
    write(&out.join("page"), "codes.txt", &format!("{page}\n"))?;
    Ok(())
}
