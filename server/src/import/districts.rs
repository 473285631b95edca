//! District boundaries from GeoJSON (Polygon or MultiPolygon features with `adcode` and
//! `name` properties, as DataV GeoAtlas publishes them).

use daylight_domain::geo::{gcj02_to_wgs84, LonLat, MultiPolygon, Polygon};
use daylight_store::District;
use serde::Deserialize;
use serde_json::Value;

use super::RowError;
use crate::cli::Datum;

#[derive(Deserialize)]
struct FeatureCollection {
    #[serde(rename = "type")]
    kind: String,
    features: Vec<Feature>,
}

#[derive(Deserialize)]
struct Feature {
    #[serde(default)]
    properties: serde_json::Map<String, Value>,
    geometry: Option<Geometry>,
}

#[derive(Deserialize)]
#[serde(tag = "type", content = "coordinates")]
enum Geometry {
    Polygon(Vec<Vec<Vec<f64>>>),
    MultiPolygon(Vec<Vec<Vec<Vec<f64>>>>),
}

/// Parses the file; errors name the feature (1-based) instead of a line. Coordinates in
/// GCJ-02 are converted to WGS-84 here, once, so everything stored is WGS-84.
pub fn parse_districts(text: &str, datum: Datum) -> Result<Vec<District>, Vec<RowError>> {
    let collection: FeatureCollection = serde_json::from_str(text).map_err(|e| {
        vec![RowError::whole_file(
            e.line() as u64,
            format!("not a GeoJSON FeatureCollection: {e}"),
        )]
    })?;
    if collection.kind != "FeatureCollection" {
        return Err(vec![RowError::whole_file(
            1,
            format!("expected a FeatureCollection, found '{}'", collection.kind),
        )]);
    }
    let convert = |p: LonLat| match datum {
        Datum::Wgs84 => p,
        Datum::Gcj02 => gcj02_to_wgs84(p),
    };
    let mut districts = Vec::new();
    let mut errors = Vec::new();
    for (index, feature) in collection.features.into_iter().enumerate() {
        let number = index as u64 + 1;
        match district_from_feature(feature, &convert) {
            Ok(d) => districts.push(d),
            Err(message) => errors.push(RowError::feature(number, message)),
        }
    }
    if errors.is_empty() {
        Ok(districts)
    } else {
        Err(errors)
    }
}

fn district_from_feature(
    feature: Feature,
    convert: &impl Fn(LonLat) -> LonLat,
) -> Result<District, String> {
    let adcode = match feature.properties.get("adcode") {
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err("property 'adcode' is missing".into()),
    };
    let name = match feature.properties.get("name") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => return Err("property 'name' is missing".into()),
    };
    let polygons = match feature.geometry {
        Some(Geometry::Polygon(rings)) => vec![rings],
        Some(Geometry::MultiPolygon(polys)) => polys,
        None => return Err("geometry is missing".into()),
    };
    let mut out = Vec::new();
    for rings in polygons {
        let mut converted = Vec::new();
        for ring in rings {
            let points = ring
                .iter()
                .map(|pair| match pair.as_slice() {
                    [lon, lat, ..] => LonLat::new(*lon, *lat)
                        .map(convert)
                        .map_err(|e| e.to_string()),
                    _ => Err("a position needs longitude and latitude".to_string()),
                })
                .collect::<Result<Vec<_>, _>>()?;
            if points.len() < 4 {
                return Err("a ring needs at least 4 positions".into());
            }
            converted.push(points);
        }
        let mut rings = converted.into_iter();
        let exterior = rings.next().ok_or("a polygon has no ring")?;
        out.push(Polygon {
            exterior,
            holes: rings.collect(),
        });
    }
    let boundary = MultiPolygon(out);
    let center = feature
        .properties
        .get("centroid")
        .or_else(|| feature.properties.get("center"))
        .and_then(|v| v.as_array())
        .and_then(|a| Some((a.first()?.as_f64()?, a.get(1)?.as_f64()?)))
        .and_then(|(lon, lat)| LonLat::new(lon, lat).ok())
        .map(convert)
        .or_else(|| {
            let b = boundary.bbox()?;
            LonLat::new((b.min.lon + b.max.lon) / 2.0, (b.min.lat + b.max.lat) / 2.0).ok()
        })
        .ok_or("cannot determine a centre")?;
    Ok(District {
        adcode,
        name,
        center,
        boundary,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SQUARE: &str = r#"{"type":"FeatureCollection","features":[
        {"type":"Feature","properties":{"adcode":610102,"name":"新城区"},
         "geometry":{"type":"Polygon","coordinates":[[[108.9,34.2],[109.0,34.2],[109.0,34.3],[108.9,34.3],[108.9,34.2]]]}},
        {"type":"Feature","properties":{"name":"无编码"},
         "geometry":{"type":"Polygon","coordinates":[[[108.9,34.2],[109.0,34.2],[109.0,34.3],[108.9,34.2]]]}}]}"#;

    #[test]
    fn features_without_adcode_are_reported_by_number() {
        let errors = parse_districts(SQUARE, Datum::Wgs84).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "feature 2: property 'adcode' is missing"
        );
    }

    #[test]
    fn gcj02_is_converted_to_wgs84() {
        let one = SQUARE.replace(r#",
        {"type":"Feature","properties":{"name":"无编码"},
         "geometry":{"type":"Polygon","coordinates":[[[108.9,34.2],[109.0,34.2],[109.0,34.3],[108.9,34.2]]]}}"#, "");
        let wgs = parse_districts(&one, Datum::Wgs84).unwrap();
        let gcj = parse_districts(&one, Datum::Gcj02).unwrap();
        let a = wgs[0].boundary.0[0].exterior[0];
        let b = gcj[0].boundary.0[0].exterior[0];
        // Around Xi'an GCJ-02 lies ~450 m east and a little south of WGS-84, so the
        // converted point moves west and north.
        assert!(b.lon < a.lon && b.lat > a.lat);
        assert_eq!(wgs[0].adcode, "610102");
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_districts("{", Datum::Wgs84).is_err());
        assert!(parse_districts(r#"{"type":"Feature","features":[]}"#, Datum::Wgs84).is_err());
    }
}
