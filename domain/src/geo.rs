//! Geodesy for the map: coordinates, the Chinese GCJ-02 datum, distances and district polygons.
//!
//! Monitoring stations are published in (or converted to) WGS-84, the datum of GPS and of the
//! OpenStreetMap-style tiles the portal draws on. Chinese web-map sources — AMap, and Aliyun
//! DataV's district boundaries that Daylight ships — use GCJ-02 instead, which is WGS-84 run
//! through a deliberately obfuscating, non-linear offset of a few hundred metres. Mixing the two
//! puts a station in the wrong district near a boundary, so everything is converted to WGS-84
//! at import time with [`gcj02_to_wgs84`].
//!
//! GeoJSON parsing stays out of this crate (it has no JSON dependency); the importer turns
//! GeoJSON into [`MultiPolygon`] and this module does the geometry.

use serde::{Deserialize, Serialize};
use std::f64::consts::PI;

/// A WGS-84 longitude/latitude in degrees.
///
/// Input from outside goes through [`LonLat::new`], and deserialisation runs the same check, so
/// a NaN or an out-of-range value (often a swapped lon/lat) from a file or request never reaches
/// the maths. (The fields stay public for convenient literals in trusted code.)
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawLonLat")]
pub struct LonLat {
    pub lon: f64,
    pub lat: f64,
}

/// The unchecked wire form of [`LonLat`], validated on the way in.
#[derive(Deserialize)]
struct RawLonLat {
    lon: f64,
    lat: f64,
}

impl TryFrom<RawLonLat> for LonLat {
    type Error = GeoError;
    fn try_from(raw: RawLonLat) -> Result<Self, Self::Error> {
        Self::new(raw.lon, raw.lat)
    }
}

/// Why a coordinate was rejected.
#[derive(Debug, Clone, thiserror::Error, PartialEq)]
pub enum GeoError {
    #[error("coordinate is not a finite number")]
    NotFinite,
    #[error("longitude {0} is outside [-180, 180]")]
    LongitudeOutOfRange(f64),
    #[error("latitude {0} is outside [-90, 90]")]
    LatitudeOutOfRange(f64),
}

impl LonLat {
    /// Checks a longitude/latitude pair in degrees. NaN, infinities and out-of-range values are
    /// typical symptoms of swapped columns or a broken upstream file, so they are refused rather
    /// than silently clamped.
    pub fn new(lon: f64, lat: f64) -> Result<Self, GeoError> {
        if !lon.is_finite() || !lat.is_finite() {
            return Err(GeoError::NotFinite);
        }
        if !(-180.0..=180.0).contains(&lon) {
            return Err(GeoError::LongitudeOutOfRange(lon));
        }
        if !(-90.0..=90.0).contains(&lat) {
            return Err(GeoError::LatitudeOutOfRange(lat));
        }
        Ok(Self { lon, lat })
    }
}

// ---------------------------------------------------------------------------------------------
// GCJ-02
// ---------------------------------------------------------------------------------------------

/// Semi-major axis of the Krasovsky 1940 ellipsoid, on which the GCJ-02 offset is defined.
const KRASOVSKY_A: f64 = 6_378_245.0;
/// First eccentricity squared of the Krasovsky 1940 ellipsoid. Usually quoted as
/// 0.00669342162296594323; the last two digits are beyond f64 precision and round to this.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;

/// Whether GCJ-02 applies at all. The offset is only applied inside China; like every public
/// implementation this uses a rough rectangle, which is exact enough for a portal about Xi'an
/// (far from any edge of it).
fn outside_china(p: LonLat) -> bool {
    !(72.004..=137.8347).contains(&p.lon) || !(0.8293..=55.8271).contains(&p.lat)
}

/// The latitude part of the offset polynomial, in "transform units" (scaled to metres-ish
/// before conversion to degrees), with `x`, `y` relative to (105°E, 35°N).
fn offset_lat(x: f64, y: f64) -> f64 {
    let mut r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    r
}

/// The longitude part of the offset polynomial; see [`offset_lat`].
fn offset_lon(x: f64, y: f64) -> f64 {
    let mut r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    r += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    r += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    r += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    r
}

/// The GCJ-02 offset (Δlon, Δlat) in degrees to add to a WGS-84 point. Defined for any finite
/// input; the caller decides whether the point is in China.
fn gcj_offset(p: LonLat) -> (f64, f64) {
    let x = p.lon - 105.0;
    let y = p.lat - 35.0;
    let rad_lat = p.lat.to_radians();
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    // Metres of "offset" → degrees, using the meridional and prime-vertical radii of curvature.
    let d_lat = offset_lat(x, y) * 180.0
        / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let d_lon = offset_lon(x, y) * 180.0 / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    (d_lon, d_lat)
}

/// Converts a WGS-84 point to GCJ-02 (the datum of AMap and DataV), the published forward
/// transform. Points outside China are returned unchanged, as the Chinese map providers do.
pub fn wgs84_to_gcj02(p: LonLat) -> LonLat {
    if outside_china(p) {
        return p;
    }
    let (d_lon, d_lat) = gcj_offset(p);
    LonLat {
        lon: p.lon + d_lon,
        lat: p.lat + d_lat,
    }
}

/// Largest number of fixed-point steps in [`gcj02_to_wgs84`]. Convergence is geometric with a
/// ratio around 1e-3, so 3–4 steps suffice; the cap only guards against pathological input.
const MAX_INVERSE_STEPS: usize = 30;
/// Stop iterating once a step moves the estimate by less than this many degrees (~0.01 mm),
/// well inside the 1e-7° the portal promises.
const INVERSE_STEP_TOLERANCE_DEG: f64 = 1e-10;

/// Converts a GCJ-02 point back to WGS-84.
///
/// GCJ-02 has no published inverse; the usual shortcut subtracts the offset evaluated at the
/// GCJ-02 point itself, which is wrong by about 1.5 m in Xi'an and up to ~5 m elsewhere in China
/// because the offset varies with position. Since the offset changes very slowly (its derivative is ~1e-3), the exact inverse is
/// the fixed point of `w ← w − (forward(w) − g)`, which converges in a handful of steps to far
/// below 1e-7° (≈1 cm). Points outside China are returned unchanged.
pub fn gcj02_to_wgs84(p: LonLat) -> LonLat {
    if outside_china(p) {
        return p;
    }
    let mut w = p;
    for _ in 0..MAX_INVERSE_STEPS {
        let g = wgs84_to_gcj02(w);
        let step_lon = g.lon - p.lon;
        let step_lat = g.lat - p.lat;
        w = LonLat {
            lon: w.lon - step_lon,
            lat: w.lat - step_lat,
        };
        if step_lon.abs() < INVERSE_STEP_TOLERANCE_DEG
            && step_lat.abs() < INVERSE_STEP_TOLERANCE_DEG
        {
            break;
        }
    }
    w
}

// ---------------------------------------------------------------------------------------------
// Distance
// ---------------------------------------------------------------------------------------------

/// Mean Earth radius (IUGG R1), in metres.
const EARTH_MEAN_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle distance in metres by the haversine formula on a sphere of the mean Earth
/// radius. Good to ~0.5 %, which is plenty for "nearest station" and "how far apart"; a
/// geodesic on the ellipsoid would add complexity for nothing the public sees.
pub fn distance_m(a: LonLat, b: LonLat) -> f64 {
    let phi1 = a.lat.to_radians();
    let phi2 = b.lat.to_radians();
    let d_phi = (b.lat - a.lat).to_radians();
    let d_lambda = (b.lon - a.lon).to_radians();
    let h = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    // Rounding can push h a hair above 1 for antipodal points; clamp so asin stays defined.
    2.0 * EARTH_MEAN_RADIUS_M * h.clamp(0.0, 1.0).sqrt().asin()
}

// ---------------------------------------------------------------------------------------------
// Polygons
// ---------------------------------------------------------------------------------------------

/// An axis-aligned longitude/latitude box, for quick rejection and for fitting the map view.
/// Boxes crossing the antimeridian are not supported (irrelevant for China).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BBox {
    pub min: LonLat,
    pub max: LonLat,
}

impl BBox {
    /// Whether `p` lies inside or on the edge of the box.
    pub fn contains(&self, p: LonLat) -> bool {
        (self.min.lon..=self.max.lon).contains(&p.lon)
            && (self.min.lat..=self.max.lat).contains(&p.lat)
    }

    /// The smallest box covering both.
    pub fn union(self, o: BBox) -> BBox {
        BBox {
            min: LonLat {
                lon: self.min.lon.min(o.min.lon),
                lat: self.min.lat.min(o.min.lat),
            },
            max: LonLat {
                lon: self.max.lon.max(o.max.lon),
                lat: self.max.lat.max(o.max.lat),
            },
        }
    }

    fn of_point(p: LonLat) -> BBox {
        BBox { min: p, max: p }
    }
}

/// A polygon: an exterior ring and zero or more holes, as in GeoJSON. Rings may or may not
/// repeat their first point at the end; both forms are handled.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Polygon {
    pub exterior: Vec<LonLat>,
    pub holes: Vec<Vec<LonLat>>,
}

impl Polygon {
    /// Whether `p` is inside the exterior ring and in none of the holes. Points exactly on an
    /// edge may go either way; district boundaries are approximate at that scale anyway.
    pub fn contains(&self, p: LonLat) -> bool {
        ring_contains(&self.exterior, p) && !self.holes.iter().any(|h| ring_contains(h, p))
    }
}

/// A district or county, possibly in several parts (enclaves, islands).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MultiPolygon(pub Vec<Polygon>);

impl MultiPolygon {
    /// Whether any part contains `p` (even-odd ray casting; holes excluded). Used to assign a
    /// station to its district, so the import never trusts a district name typed by hand.
    pub fn contains(&self, p: LonLat) -> bool {
        self.0.iter().any(|poly| poly.contains(p))
    }

    /// The box around all exterior rings, or `None` if there are no points at all. Holes lie
    /// inside their exterior, so they cannot widen it.
    pub fn bbox(&self) -> Option<BBox> {
        self.0
            .iter()
            .flat_map(|poly| poly.exterior.iter())
            .map(|&p| BBox::of_point(p))
            .reduce(BBox::union)
    }

    /// Applies `f` to every vertex, e.g. `map_points(gcj02_to_wgs84)` to convert DataV
    /// boundaries to WGS-84.
    pub fn map_points(&self, f: impl Fn(LonLat) -> LonLat) -> MultiPolygon {
        let map_ring = |ring: &Vec<LonLat>| ring.iter().map(|&p| f(p)).collect::<Vec<_>>();
        MultiPolygon(
            self.0
                .iter()
                .map(|poly| Polygon {
                    exterior: map_ring(&poly.exterior),
                    holes: poly.holes.iter().map(map_ring).collect(),
                })
                .collect(),
        )
    }

    /// A point guaranteed to lie inside (not on an edge), for placing a label or testing
    /// routing: on a horizontal line through a part's box, the middle of the widest stretch
    /// that is inside. Tries the largest part first and several lines; None for an empty or
    /// degenerate shape.
    pub fn interior_point(&self) -> Option<LonLat> {
        let mut parts: Vec<&Polygon> = self.0.iter().collect();
        let area = |p: &&Polygon| {
            MultiPolygon(vec![(*p).clone()])
                .bbox()
                .map_or(0.0, |b| (b.max.lon - b.min.lon) * (b.max.lat - b.min.lat))
        };
        parts.sort_by(|a, b| area(b).total_cmp(&area(a)));
        for poly in parts {
            let Some(bbox) = MultiPolygon(vec![poly.clone()]).bbox() else {
                continue;
            };
            for fraction in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.45, 0.55] {
                let lat = bbox.min.lat + fraction * (bbox.max.lat - bbox.min.lat);
                let mut xs: Vec<f64> = std::iter::once(&poly.exterior)
                    .chain(poly.holes.iter())
                    .flat_map(|ring| ring_crossings(ring, lat))
                    .collect();
                xs.sort_by(f64::total_cmp);
                let best = xs
                    .chunks_exact(2)
                    .map(|pair| (pair[0], pair[1]))
                    .max_by(|a, b| (a.1 - a.0).total_cmp(&(b.1 - b.0)));
                if let Some((x0, x1)) = best {
                    let candidate = LonLat {
                        lon: (x0 + x1) / 2.0,
                        lat,
                    };
                    if x1 > x0 && poly.contains(candidate) {
                        return Some(candidate);
                    }
                }
            }
        }
        None
    }

    /// Douglas–Peucker simplification of every ring, with the tolerance in degrees (planar,
    /// ~0.001° ≈ 100 m is right for a district overview). District boundaries come with tens of
    /// thousands of vertices; the map needs far fewer, and every byte ships to phones.
    ///
    /// Each ring keeps at least 4 points (a valid closed ring): if the tolerance would collapse
    /// a ring, it is simplified with successively halved tolerances until it stays a ring, so
    /// small islands and holes are kept rather than silently dropped. A non-finite or
    /// non-positive tolerance returns an unchanged copy.
    pub fn simplify(&self, tolerance_deg: f64) -> MultiPolygon {
        if !tolerance_deg.is_finite() || tolerance_deg <= 0.0 {
            return self.clone();
        }
        let simplify = |ring: &Vec<LonLat>| simplify_ring(ring, tolerance_deg);
        MultiPolygon(
            self.0
                .iter()
                .map(|poly| Polygon {
                    exterior: simplify(&poly.exterior),
                    holes: poly.holes.iter().map(simplify).collect(),
                })
                .collect(),
        )
    }
}

/// Even-odd ray casting: count crossings of a ray running east from `p`.
fn ring_contains(ring: &[LonLat], p: LonLat) -> bool {
    let Some(&last) = ring.last() else {
        return false;
    };
    let mut inside = false;
    let mut prev = last;
    for &cur in ring {
        // The edge straddles the ray's latitude (half-open, so a vertex is counted once and a
        // horizontal or zero-length edge, such as a repeated closing point, never counts).
        if (cur.lat > p.lat) != (prev.lat > p.lat) {
            let t = (p.lat - cur.lat) / (prev.lat - cur.lat);
            let x = cur.lon + t * (prev.lon - cur.lon);
            if p.lon < x {
                inside = !inside;
            }
        }
        prev = cur;
    }
    inside
}

/// The longitudes where a ring's edges cross the latitude `lat` (same half-open rule as
/// [`ring_contains`]).
fn ring_crossings(ring: &[LonLat], lat: f64) -> Vec<f64> {
    let Some(&last) = ring.last() else {
        return Vec::new();
    };
    let mut xs = Vec::new();
    let mut prev = last;
    for &cur in ring {
        if (cur.lat > lat) != (prev.lat > lat) {
            let t = (lat - cur.lat) / (prev.lat - cur.lat);
            xs.push(cur.lon + t * (prev.lon - cur.lon));
        }
        prev = cur;
    }
    xs
}

/// Fewest points a simplified ring keeps: three corners plus the closing point.
const MIN_RING_POINTS: usize = 4;
/// How often [`simplify_ring`] halves the tolerance before giving up and keeping the ring as is.
const MAX_TOLERANCE_HALVINGS: usize = 60;

fn simplify_ring(ring: &[LonLat], tolerance: f64) -> Vec<LonLat> {
    if ring.len() <= MIN_RING_POINTS {
        return ring.to_vec();
    }
    let mut tol = tolerance;
    for _ in 0..MAX_TOLERANCE_HALVINGS {
        let out = douglas_peucker_ring(ring, tol);
        if out.len() >= MIN_RING_POINTS {
            return out;
        }
        tol /= 2.0;
    }
    ring.to_vec()
}

/// Douglas–Peucker on a ring. A closed ring's first and last points coincide, so the chord
/// between them is degenerate; the ring is therefore split at the vertex farthest from its
/// start and each half is simplified as an open line. The ring's closed/open form is preserved.
fn douglas_peucker_ring(ring: &[LonLat], tol: f64) -> Vec<LonLat> {
    let n = ring.len();
    let closed = n > 1 && ring[0] == ring[n - 1];
    // Work on an explicitly closed sequence.
    let pts: Vec<LonLat> = if closed {
        ring.to_vec()
    } else {
        let mut v = ring.to_vec();
        v.push(ring[0]);
        v
    };
    let last = pts.len() - 1;
    let start = pts[0];
    let split = (1..last)
        .max_by(|&i, &j| {
            planar_dist2(pts[i], start)
                .partial_cmp(&planar_dist2(pts[j], start))
                .unwrap_or(std::cmp::Ordering::Equal)
        })
        .unwrap_or(0);

    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[last] = true;
    keep[split] = true;
    let mut stack = vec![(0, split), (split, last)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let mut worst = 0.0;
        let mut worst_i = a;
        for i in a + 1..b {
            let d = segment_distance(pts[i], pts[a], pts[b]);
            if d > worst {
                worst = d;
                worst_i = i;
            }
        }
        if worst > tol {
            keep[worst_i] = true;
            stack.push((a, worst_i));
            stack.push((worst_i, b));
        }
    }
    let mut out: Vec<LonLat> = pts
        .iter()
        .zip(&keep)
        .filter_map(|(&p, &k)| k.then_some(p))
        .collect();
    if !closed {
        out.pop();
    }
    out
}

fn planar_dist2(a: LonLat, b: LonLat) -> f64 {
    (a.lon - b.lon).powi(2) + (a.lat - b.lat).powi(2)
}

/// Planar distance in degrees from `p` to the segment `a`–`b`.
fn segment_distance(p: LonLat, a: LonLat, b: LonLat) -> f64 {
    let (dx, dy) = (b.lon - a.lon, b.lat - a.lat);
    let len2 = dx * dx + dy * dy;
    if len2 == 0.0 {
        return planar_dist2(p, a).sqrt();
    }
    let t = (((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / len2).clamp(0.0, 1.0);
    let proj = LonLat {
        lon: a.lon + t * dx,
        lat: a.lat + t * dy,
    };
    planar_dist2(p, proj).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ll(lon: f64, lat: f64) -> LonLat {
        LonLat { lon, lat }
    }

    fn closed(points: &[(f64, f64)]) -> Vec<LonLat> {
        let mut v: Vec<LonLat> = points.iter().map(|&(x, y)| ll(x, y)).collect();
        if let Some(&first) = v.first() {
            v.push(first);
        }
        v
    }

    const BELL_TOWER: LonLat = LonLat {
        lon: 108.9470,
        lat: 34.2610,
    };

    #[test]
    fn lonlat_new_accepts_valid_and_edges() {
        assert_eq!(LonLat::new(108.94, 34.26), Ok(ll(108.94, 34.26)));
        assert!(LonLat::new(-180.0, -90.0).is_ok());
        assert!(LonLat::new(180.0, 90.0).is_ok());
    }

    #[test]
    fn lonlat_new_rejects_nan_inf_and_out_of_range() {
        assert_eq!(LonLat::new(f64::NAN, 34.0), Err(GeoError::NotFinite));
        assert_eq!(LonLat::new(108.0, f64::NAN), Err(GeoError::NotFinite));
        assert_eq!(LonLat::new(f64::INFINITY, 0.0), Err(GeoError::NotFinite));
        assert_eq!(
            LonLat::new(180.5, 0.0),
            Err(GeoError::LongitudeOutOfRange(180.5))
        );
        assert_eq!(
            LonLat::new(0.0, -90.1),
            Err(GeoError::LatitudeOutOfRange(-90.1))
        );
        // Swapped columns: latitude 108 is impossible.
        assert_eq!(
            LonLat::new(34.26, 108.94),
            Err(GeoError::LatitudeOutOfRange(108.94))
        );
    }

    #[test]
    fn gcj_offset_near_xian_is_a_few_hundred_metres() {
        let wgs = ll(108.94, 34.26);
        let gcj = wgs84_to_gcj02(wgs);
        let d = distance_m(wgs, gcj);
        assert!((300.0..=600.0).contains(&d), "offset {d} m");
        // In Xi'an the published maps are shifted east (~430 m) and slightly south (~175 m).
        assert!(gcj.lon > wgs.lon && gcj.lat < wgs.lat);
    }

    #[test]
    fn forward_transform_matches_the_widely_used_reference() {
        // The example value of the common open-source converters (e.g. coordtransform):
        // Tiananmen, WGS-84 (116.404, 39.915) → GCJ-02 (116.41024449916938, 39.91640428150164).
        let gcj = wgs84_to_gcj02(ll(116.404, 39.915));
        assert!((gcj.lon - 116.410_244_499_169_38).abs() < 1e-9, "{gcj:?}");
        assert!((gcj.lat - 39.916_404_281_501_64).abs() < 1e-9, "{gcj:?}");
    }

    #[test]
    fn gcj_round_trip_is_exact_to_1e7_degrees() {
        for &(lon, lat) in &[
            (108.94, 34.26),
            (107.14, 34.37),
            (110.25, 34.61),
            (109.73, 38.28),
            (116.39, 39.91),
            (121.47, 31.23),
            (87.62, 43.83),
        ] {
            let wgs = ll(lon, lat);
            let back = gcj02_to_wgs84(wgs84_to_gcj02(wgs));
            assert!((back.lon - lon).abs() < 1e-7, "{lon},{lat}: {back:?}");
            assert!((back.lat - lat).abs() < 1e-7, "{lon},{lat}: {back:?}");
        }
    }

    #[test]
    fn inverse_beats_the_one_step_approximation() {
        let wgs = ll(108.94, 34.26);
        let gcj = wgs84_to_gcj02(wgs);
        let (d_lon, d_lat) = gcj_offset(gcj);
        let one_step = ll(gcj.lon - d_lon, gcj.lat - d_lat);
        let iterated = gcj02_to_wgs84(gcj);
        assert!(distance_m(iterated, wgs) < distance_m(one_step, wgs));
        assert!(distance_m(iterated, wgs) < 0.01);
    }

    #[test]
    fn outside_china_is_unchanged() {
        for p in [
            ll(2.3522, 48.8566),
            ll(-74.006, 40.7128),
            ll(151.21, -33.87),
        ] {
            assert_eq!(wgs84_to_gcj02(p), p);
            assert_eq!(gcj02_to_wgs84(p), p);
        }
    }

    #[test]
    fn distance_one_degree_north_of_bell_tower() {
        let north = ll(BELL_TOWER.lon, BELL_TOWER.lat + 1.0);
        let d = distance_m(BELL_TOWER, north);
        // One degree of arc on the mean sphere: 6_371_008.8 · π/180 ≈ 111_195 m.
        assert!((d - 111_195.0).abs() / 111_195.0 < 0.005, "{d}");
        assert_eq!(distance_m(BELL_TOWER, BELL_TOWER), 0.0);
    }

    #[test]
    fn distance_is_symmetric_and_handles_antipodes() {
        let a = ll(108.947, 34.261);
        let b = ll(109.50, 34.50);
        assert!((distance_m(a, b) - distance_m(b, a)).abs() < 1e-9);
        let antipode = distance_m(ll(0.0, 0.0), ll(180.0, 0.0));
        assert!((antipode - PI * EARTH_MEAN_RADIUS_M).abs() < 1.0);
    }

    fn square_with_hole() -> MultiPolygon {
        MultiPolygon(vec![Polygon {
            exterior: closed(&[(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)]),
            holes: vec![closed(&[(4.0, 4.0), (6.0, 4.0), (6.0, 6.0), (4.0, 6.0)])],
        }])
    }

    #[test]
    fn point_in_square_with_hole() {
        let mp = square_with_hole();
        assert!(mp.contains(ll(2.0, 2.0)));
        assert!(mp.contains(ll(8.0, 5.0)));
        assert!(!mp.contains(ll(5.0, 5.0)), "inside the hole");
        assert!(!mp.contains(ll(15.0, 5.0)), "far side, east");
        assert!(!mp.contains(ll(-5.0, 5.0)), "far side, west");
        assert!(!mp.contains(ll(5.0, 12.0)), "north");
    }

    #[test]
    fn point_in_concave_polygon() {
        // A "U": the notch between the arms is outside.
        let u = MultiPolygon(vec![Polygon {
            exterior: closed(&[
                (0.0, 0.0),
                (6.0, 0.0),
                (6.0, 6.0),
                (4.0, 6.0),
                (4.0, 2.0),
                (2.0, 2.0),
                (2.0, 6.0),
                (0.0, 6.0),
            ]),
            holes: vec![],
        }]);
        assert!(u.contains(ll(1.0, 5.0)), "left arm");
        assert!(u.contains(ll(5.0, 5.0)), "right arm");
        assert!(u.contains(ll(3.0, 1.0)), "base");
        assert!(!u.contains(ll(3.0, 4.0)), "in the notch");
        // A ray from this point crosses the polygon twice: still outside.
        assert!(!u.contains(ll(-1.0, 4.0)));
    }

    #[test]
    fn unclosed_ring_and_multipart() {
        let mp = MultiPolygon(vec![
            Polygon {
                exterior: vec![ll(0.0, 0.0), ll(1.0, 0.0), ll(1.0, 1.0), ll(0.0, 1.0)],
                holes: vec![],
            },
            Polygon {
                exterior: closed(&[(5.0, 5.0), (6.0, 5.0), (6.0, 6.0)]),
                holes: vec![],
            },
        ]);
        assert!(mp.contains(ll(0.5, 0.5)));
        assert!(mp.contains(ll(5.8, 5.2)));
        assert!(!mp.contains(ll(3.0, 3.0)));
        assert!(!MultiPolygon(vec![]).contains(ll(0.0, 0.0)));
    }

    #[test]
    fn bbox_and_union() {
        let b = square_with_hole().bbox().expect("non-empty");
        assert_eq!(b.min, ll(0.0, 0.0));
        assert_eq!(b.max, ll(10.0, 10.0));
        assert!(b.contains(ll(10.0, 0.0)));
        assert!(!b.contains(ll(10.1, 0.0)));
        let other = BBox {
            min: ll(-5.0, 2.0),
            max: ll(3.0, 20.0),
        };
        let u = b.union(other);
        assert_eq!(u.min, ll(-5.0, 0.0));
        assert_eq!(u.max, ll(10.0, 20.0));
        assert_eq!(MultiPolygon(vec![]).bbox(), None);
    }

    #[test]
    fn map_points_converts_every_vertex() {
        let mp = square_with_hole().map_points(|p| ll(p.lon + 100.0, p.lat + 30.0));
        assert_eq!(mp.0[0].exterior[0], ll(100.0, 30.0));
        assert_eq!(mp.0[0].holes[0][2], ll(106.0, 36.0));
        assert!(mp.contains(ll(102.0, 32.0)));
        assert!(!mp.contains(ll(105.0, 35.0)));
    }

    #[test]
    fn simplify_removes_small_wiggles_and_keeps_shape() {
        // A square whose edges carry tiny zig-zags.
        let mut pts = Vec::new();
        for i in 0..10 {
            let wiggle = if i % 2 == 0 { 0.0 } else { 0.001 };
            pts.push((i as f64, wiggle));
        }
        for i in 0..10 {
            pts.push((10.0, i as f64));
        }
        for i in 0..10 {
            pts.push((10.0 - i as f64, 10.0));
        }
        for i in 0..10 {
            pts.push((0.0, 10.0 - i as f64));
        }
        let mp = MultiPolygon(vec![Polygon {
            exterior: closed(&pts),
            holes: vec![],
        }]);
        let s = mp.simplify(0.01);
        let ring = &s.0[0].exterior;
        assert_eq!(ring.len(), 5, "{ring:?}");
        assert_eq!(ring.first(), ring.last(), "still closed");
        assert!(s.contains(ll(5.0, 5.0)));
        assert_eq!(s.bbox(), mp.bbox());
    }

    #[test]
    fn simplify_never_collapses_a_ring() {
        // A thin sliver: a large tolerance would reduce it to a line.
        let sliver = MultiPolygon(vec![Polygon {
            exterior: closed(&[
                (0.0, 0.0),
                (5.0, 0.001),
                (10.0, 0.0),
                (5.0, 0.002),
                (2.0, 0.001),
            ]),
            holes: vec![closed(&[
                (4.0, 0.0005),
                (4.5, 0.0006),
                (5.0, 0.0005),
                (4.5, 0.0007),
            ])],
        }]);
        let s = sliver.simplify(1.0);
        assert!(s.0[0].exterior.len() >= 4);
        assert!(s.0[0].holes[0].len() >= 4);
        // Degenerate tolerances change nothing.
        assert_eq!(sliver.simplify(f64::NAN), sliver);
        assert_eq!(sliver.simplify(-1.0), sliver);
    }

    #[test]
    fn lonlat_deserialisation_is_validated() {
        // No serde_json here: drive serde through a tiny in-memory deserializer.
        use serde::de::value::{Error, MapDeserializer};
        let ok: Result<LonLat, Error> = LonLat::deserialize(MapDeserializer::new(
            [("lon", 108.9), ("lat", 34.2)].into_iter(),
        ));
        assert_eq!(ok.ok(), Some(ll(108.9, 34.2)));
        let bad: Result<LonLat, Error> = LonLat::deserialize(MapDeserializer::new(
            [("lon", 34.2), ("lat", 108.9)].into_iter(),
        ));
        assert!(bad.is_err());
    }

    proptest! {
        #[test]
        fn round_trip_anywhere_in_china(lon in 73.0f64..135.0, lat in 18.0f64..53.0) {
            let wgs = ll(lon, lat);
            let back = gcj02_to_wgs84(wgs84_to_gcj02(wgs));
            prop_assert!((back.lon - lon).abs() < 1e-6);
            prop_assert!((back.lat - lat).abs() < 1e-6);
        }

        #[test]
        fn simplified_rings_stay_valid(
            radii in proptest::collection::vec(0.5f64..1.5, 8..64),
            tol in 0.0001f64..2.0,
        ) {
            let n = radii.len();
            let pts: Vec<(f64, f64)> = radii
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let a = i as f64 / n as f64 * 2.0 * PI;
                    (r * a.cos(), r * a.sin())
                })
                .collect();
            let mp = MultiPolygon(vec![Polygon { exterior: closed(&pts), holes: vec![] }]);
            let s = mp.simplify(tol);
            let ring = &s.0[0].exterior;
            prop_assert!(ring.len() >= 4);
            prop_assert!(ring.len() <= n + 1);
            prop_assert_eq!(ring.first(), ring.last());
            // Every kept vertex is an original vertex.
            prop_assert!(ring.iter().all(|p| mp.0[0].exterior.contains(p)));
        }
    }
}
