//! The CP data area (§6.3.3).

use super::*;

#[test]
fn minute_data_of_table_c16() {
    let data = cp(APPENDIX_C[9].1);
    assert_eq!(data.data_time, Some(at(2016, 8, 1, 8, 40, 0)));
    assert_eq!(data.pollutants.len(), 3);
    let flow = &data.pollutants[0];
    assert_eq!(flow.code, "w00000");
    assert_eq!(
        (flow.cou, flow.min, flow.avg, flow.max),
        (Some(10.5), Some(16.4), Some(17.5), Some(20.1))
    );
    assert_eq!(flow.flag, Some(DataFlag::Normal));
    assert_eq!(flow.flag_code.as_deref(), Some("N"));
    let ph = data.pollutant("w01001").unwrap();
    assert_eq!(
        (ph.min, ph.avg, ph.max, ph.cou),
        (Some(7.1), Some(7.5), Some(7.8), None)
    );
    assert!(data.other.is_empty());
}

#[test]
fn water_hour_upload_maps_to_parameters() {
    let s = seg(WATER_HOUR);
    assert_eq!(s.command(), Command::Hour);
    let data = s.cp_data().unwrap();
    let readings: Vec<(Parameter, f64)> = data
        .pollutants
        .iter()
        .filter_map(|p| codes::lookup(&p.code)?.reading(s.st(), p.avg?))
        .collect();
    assert_eq!(
        readings,
        vec![
            (Parameter::Ph, 7.62),
            (Parameter::DissolvedOxygen, 8.1),
            (Parameter::CodMn, 2.9),
            (Parameter::Nh3N, 0.214),
            (Parameter::TotalPhosphorus, 0.052),
        ]
    );
    assert_eq!(
        data.pollutant("w21011").unwrap().flag,
        Some(DataFlag::Calibration)
    );
}

#[test]
fn air_station_minute_upload_maps_to_parameters_in_canonical_units() {
    // Modelled on a real air station's minute data (ST=22): gases in µg/m³, CO in mg/m³.
    let text = "QN=20220513162608370;ST=22;CN=2051;PW=123456;MN=0123456789ABCDEF01234567;\
Flag=4;CP=&&DataTime=20220513162600;a21004-Avg=4,a21004-Flag=N;a05024-Avg=63,a05024-Flag=N;\
a21026-Avg=6,a21026-Flag=N;a21005-Avg=0.427,a21005-Flag=N;a34004-Avg=14,a34004-Flag=N;\
a34002-Avg=31,a34002-Flag=N;a01007-Avg=1,a01007-Flag=N;a01008-Avg=11,a01008-Flag=N&&";
    let s = seg(text);
    let data = s.cp_data().unwrap();
    let readings: Vec<(Parameter, f64)> = data
        .pollutants
        .iter()
        .filter_map(|p| codes::lookup(&p.code)?.reading(s.st(), p.avg?))
        .collect();
    assert_eq!(
        readings,
        vec![
            (Parameter::No2, 4.0),
            (Parameter::O3, 63.0),
            (Parameter::So2, 6.0),
            (Parameter::Co, 0.427),
            (Parameter::Pm25, 14.0),
            (Parameter::Pm10, 31.0),
        ]
    );
    assert!(!s.needs_ack());
    assert_eq!(
        s.command().data_time_meaning(),
        Some(DataTimeMeaning::PeriodStart)
    );
}

#[test]
fn noise_data_and_blanks() {
    let noise = cp(NOISE_RTD);
    assert_eq!(noise.data_time, Some(at(2016, 8, 1, 8, 58, 57)));
    assert_eq!(noise.pollutant("LA").unwrap().rtd, Some(50.1));
    let day = cp(APPENDIX_C[15].1);
    let l5 = day.pollutant("L5").unwrap();
    assert_eq!(
        (l5.data, l5.day_data, l5.night_data),
        (Some(53.0), Some(53.0), Some(53.0))
    );
    assert_eq!(day.pollutant("LMn").unwrap().night_data, Some(42.0));
    assert_eq!(day.pollutant("Ln").unwrap().night_data, Some(52.5));
    assert_eq!(codes::lookup("Ldn").unwrap().unit, Some(Unit::DecibelsA));
}

#[test]
fn flags_keep_unknown_letters() {
    for (letter, flag) in [
        ("N", DataFlag::Normal),
        ("F", DataFlag::Stopped),
        ("M", DataFlag::Maintenance),
        ("S", DataFlag::Manual),
        ("D", DataFlag::Fault),
        ("C", DataFlag::Calibration),
        ("T", DataFlag::OverRange),
        ("B", DataFlag::CommFailure),
        ("P", DataFlag::Other),
        ("]", DataFlag::Other),
        ("n", DataFlag::Other),
    ] {
        let data = CpData::parse(&format!("w01018-Rtd=1,w01018-Flag={letter}")).unwrap();
        let p = data.pollutant("w01018").unwrap();
        assert_eq!(p.flag, Some(flag), "{letter}");
        assert_eq!(p.flag_code.as_deref(), Some(letter));
    }
    for bad in ["", "ABCDE", "N N"] {
        assert!(matches!(
            CpData::parse(&format!("w01018-Flag={bad}")),
            Err(CpError::BadFlag { .. })
        ));
    }
}

#[test]
fn numbers_are_decimal_and_errors_name_the_field() {
    for (text, value) in [
        ("7.1", 7.1),
        ("-0.5", -0.5),
        ("+3", 3.0),
        ("7.", 7.0),
        (".5", 0.5),
        ("0231.0", 231.0),
    ] {
        let data = CpData::parse(&format!("w01018-Rtd={text}")).unwrap();
        assert_eq!(data.pollutants[0].rtd, Some(value), "{text}");
    }
    for bad in [
        "", ".", "-", "2.2x", "1e3", "NaN", "inf", "1,5", "--1", "1.2.3", "0x10",
    ] {
        let result = CpData::parse(&format!("w01018-Rtd={bad};w01001-Rtd=7"));
        if bad == "1,5" {
            // ',' separates values: "5" is then an item without '='.
            assert_eq!(result, Err(CpError::MissingEquals { item: "5".into() }));
            continue;
        }
        let err = result.unwrap_err();
        assert_eq!(
            err,
            CpError::BadNumber {
                field: "w01018-Rtd".into(),
                value: bad.into()
            },
            "{bad}"
        );
        assert!(err.to_string().starts_with("w01018-Rtd: "));
    }
    assert!(matches!(
        CpData::parse("a34004-ZsAvg=abc"),
        Err(CpError::BadNumber { field, .. }) if field == "a34004-ZsAvg"
    ));
}

#[test]
fn times() {
    assert_eq!(
        parse_timestamp("20160801085857"),
        Some(at(2016, 8, 1, 8, 58, 57))
    );
    assert_eq!(
        parse_timestamp("20160824003817123"),
        NaiveDate::from_ymd_opt(2016, 8, 24).and_then(|d| d.and_hms_milli_opt(0, 38, 17, 123))
    );
    for bad in [
        "",
        "2016080108585",
        "201608010858570",
        "20161301085857",
        "20160230085857",
        "20160801245857",
        "20160801085860",
        "2016080108585x",
        "+0160801085857",
        "２０16080108585",
    ] {
        assert_eq!(parse_timestamp(bad), None, "{bad}");
    }
    assert_eq!(
        CpData::parse("DataTime=20160801256000"),
        Err(CpError::BadTime {
            field: "DataTime".into(),
            value: "20160801256000".into()
        })
    );
    assert!(matches!(
        CpData::parse("DataTime=20160801080000;DataTime=20160801090000"),
        Err(CpError::DuplicateField { .. })
    ));
    assert!(matches!(
        CpData::parse("w01018-SampleTime=2016"),
        Err(CpError::BadTime { field, .. }) if field == "w01018-SampleTime"
    ));
}

#[test]
fn other_fields_text_values_and_case() {
    let data = CpData::parse(
        "SB1-RS=1;i11001-Info=//清洗;管路,a=b//;w01018-rtd=3;datatime=x;PolId=w01018 ;;",
    )
    .unwrap();
    assert_eq!(
        data.other,
        vec![
            ("SB1-RS".to_string(), "1".to_string()),
            ("i11001-Info".to_string(), "//清洗;管路,a=b//".to_string()),
            ("w01018-rtd".to_string(), "3".to_string()),
            ("datatime".to_string(), "x".to_string()),
            ("PolId".to_string(), "w01018".to_string()),
        ]
    );
    assert!(data.pollutants.is_empty() && data.data_time.is_none());
    assert_eq!(
        CpData::parse("i11001-Info=//open"),
        Err(CpError::UnclosedText {
            field: "i11001-Info".into()
        })
    );
    assert_eq!(
        CpData::parse("i11001-Info=//a//b;x=1"),
        Err(CpError::TextAfterClosing {
            field: "i11001-Info".into()
        })
    );
    assert_eq!(
        CpData::parse("RtdInterval"),
        Err(CpError::MissingEquals {
            item: "RtdInterval".into()
        })
    );
    assert_eq!(CpData::parse("=1"), Err(CpError::EmptyName));
    assert_eq!(
        CpData::parse("w0-1-Rtd=1"),
        Err(CpError::BadCode {
            field: "w0-1-Rtd".into(),
            code: "w0-1".into()
        })
    );
    assert!(matches!(
        CpData::parse("-Rtd=1"),
        Err(CpError::BadCode { .. })
    ));
    assert_eq!(CpData::parse(" ; , ").unwrap(), CpData::default());
}
