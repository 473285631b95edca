//! GB 3096-2008 Table 1 (standards §5).

use super::*;

#[test]
fn limits_for_every_zone_and_period() {
    let table = [
        (NoiseZone::Class0, 50.0, 40.0),
        (NoiseZone::Class1, 55.0, 45.0),
        (NoiseZone::Class2, 60.0, 50.0),
        (NoiseZone::Class3, 65.0, 55.0),
        (NoiseZone::Class4a, 70.0, 55.0),
        (NoiseZone::Class4b, 70.0, 60.0),
    ];
    for (zone, day, night) in table {
        assert_eq!(limit(zone, NoisePeriod::Day), day, "{zone:?} day");
        assert_eq!(limit(zone, NoisePeriod::Night), night, "{zone:?} night");
        assert_eq!(exceedance(zone, NoisePeriod::Day, day), None);
        assert_eq!(exceedance(zone, NoisePeriod::Day, day + 3.5), Some(3.5));
        assert_eq!(exceedance(zone, NoisePeriod::Night, night - 1.0), None);
        assert_eq!(
            exceedance(zone, NoisePeriod::Night, night + 0.1).map(|x| (x * 10.0).round()),
            Some(1.0)
        );
        assert_eq!(night_sporadic_lmax_limit(zone), night + 15.0);
    }
}

#[test]
fn day_is_six_to_twenty_two() {
    let at = |h, m| NaiveTime::from_hms_opt(h, m, 0).map(NoisePeriod::of_local_time);
    assert_eq!(at(5, 59), Some(NoisePeriod::Night));
    assert_eq!(at(6, 0), Some(NoisePeriod::Day));
    assert_eq!(at(12, 0), Some(NoisePeriod::Day));
    assert_eq!(at(21, 59), Some(NoisePeriod::Day));
    assert_eq!(at(22, 0), Some(NoisePeriod::Night));
    assert_eq!(at(0, 0), Some(NoisePeriod::Night));
}

#[test]
fn non_numbers_are_not_exceedances() {
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(exceedance(NoiseZone::Class1, NoisePeriod::Night, x), None);
    }
}

#[test]
fn zone_names_parse() {
    for zone in NoiseZone::ALL {
        assert_eq!(zone.as_str().parse::<NoiseZone>(), Ok(zone));
        assert_eq!(
            format!("{}类", zone.as_str()).parse::<NoiseZone>(),
            Ok(zone)
        );
        assert_eq!(zone.name_zh().parse::<NoiseZone>(), Ok(zone));
    }
    assert_eq!("Class 4A".parse::<NoiseZone>(), Ok(NoiseZone::Class4a));
    assert!("5".parse::<NoiseZone>().is_err());
    assert!("4".parse::<NoiseZone>().is_err());
    assert_eq!(NoiseZone::Class4b.name_en(), "Class 4b zone");
}
