//! Photos on complaints (issue 6): the report form as `multipart/form-data` without
//! JavaScript, the checks (magic bytes, count, size) that refuse a submission whole, the copy
//! without metadata for the reporter and the public, the officer's originals and their
//! publishing decision on the audit chain.

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use daylight_domain::geo::LonLat;
use daylight_tests::form::{encode, two_districts};
use daylight_tests::{between, binary, describe, excerpt, readable_html, Reply, TestServer};

const BOUNDARY: &str = "----daylight-photos-7f3a9c";

/// A `multipart/form-data` body: the text fields, then the files under `photos`.
fn multipart(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (file_name, content_type, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"photos\"; \
                 filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A JPEG segment: marker and payload with its length.
fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let len = u16::try_from(payload.len() + 2).expect("short segment");
    let mut s = vec![0xFF, marker];
    s.extend_from_slice(&len.to_be_bytes());
    s.extend_from_slice(payload);
    s
}

/// The GPS latitude 34° 15' 30" as three big-endian rationals, as a camera writes it.
fn latitude_rationals() -> Vec<u8> {
    [(34u32, 1u32), (15, 1), (30, 1)]
        .iter()
        .flat_map(|(n, d)| n.to_be_bytes().into_iter().chain(d.to_be_bytes()))
        .collect()
}

/// An EXIF APP1 payload: IFD0 with a GPSInfo pointer; the GPS IFD with GPSLatitudeRef,
/// GPSLatitude and GPSMapDatum "WGS-84".
fn exif_with_gps() -> Vec<u8> {
    let mut p = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
    // IFD0 at 8: one entry, GPSInfo (0x8825, LONG) -> 26.
    p.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
    // GPS IFD at 26: three entries (2 + 3 * 12 + 4 = 42 bytes), data from 68.
    p.extend_from_slice(&[0, 3]);
    p.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
    p.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 68]);
    p.extend_from_slice(&[0, 0x12, 0, 2, 0, 0, 0, 7, 0, 0, 0, 92]);
    p.extend_from_slice(&[0, 0, 0, 0]);
    p.extend(latitude_rationals());
    p.extend_from_slice(b"WGS-84\0");
    p
}

/// Entropy-coded bytes as a scan has them: no 0xFF without a stuffed 0x00.
fn scan_data(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut out = Vec::with_capacity(len + len / 128);
    while out.len() < len {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let b = (x >> 24) as u8;
        out.push(b);
        if b == 0xFF {
            out.push(0x00);
        }
    }
    out
}

/// A JPEG with an EXIF block holding a GPS position, a comment, and `scan` bytes of image.
fn jpeg_with_gps(scan: usize) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    j.extend(segment(0xE1, &exif_with_gps()));
    j.extend(segment(0xFE, b"shot from my balcony"));
    j.extend(segment(0xDB, &[0; 65]));
    j.extend(segment(0xC0, &[8, 0, 16, 0, 16, 1, 1, 0x11, 0]));
    j.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    j.extend(scan_data(scan, 0x9E37_79B9_7F4A_7C15));
    j.extend_from_slice(&[0xFF, 0xD9]);
    j
}

/// A PNG with a text chunk (the author's name).
fn png_with_text() -> Vec<u8> {
    let chunk = |kind: &[u8; 4], data: &[u8]| {
        let mut c = u32::try_from(data.len())
            .expect("short")
            .to_be_bytes()
            .to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0, 0, 0, 0]);
        c
    };
    let mut p = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    p.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
    p.extend(chunk(b"tEXt", b"Author\0Zhang San"));
    p.extend(chunk(b"IDAT", b"pixels"));
    p.extend(chunk(b"IEND", b""));
    p
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A fresh form's key and time, and that the form is multipart with a photo field.
fn fresh_form(server: &TestServer) -> (String, String) {
    let reply = server.get("/report");
    assert_eq!(reply.status, 200, "{}", excerpt(&reply.body));
    let page = readable_html(&reply.body);
    assert!(
        page.contains(r#"enctype="multipart/form-data""#),
        "{}",
        excerpt(&page)
    );
    assert!(
        page.contains(r#"type="file" name="photos""#),
        "{}",
        excerpt(&page)
    );
    let key = between(&page, r#"name="key" value=""#, "\"")
        .expect("key")
        .to_owned();
    let observed = between(&page, r#"name="observed" value=""#, "\"")
        .expect("observed")
        .to_owned();
    (key, observed)
}

/// Posts the form with `files` at `at`, from `client`, with extra headers.
fn submit(
    server: &TestServer,
    at: LonLat,
    files: &[(&str, &str, &[u8])],
    client: &str,
    headers: &[(&str, &str)],
) -> Reply {
    let (key, observed) = fresh_form(server);
    let (lat, lon) = (at.lat.to_string(), at.lon.to_string());
    let body = multipart(
        &[
            ("key", &key),
            ("category", "air"),
            ("description", "工地扬尘 <dust> & smoke"),
            ("observed", &observed),
            ("lat", &lat),
            ("lon", &lon),
            ("consent", "yes"),
            ("website", ""),
        ],
        files,
    );
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut all = vec![
        ("Content-Type", content_type.as_str()),
        ("X-Forwarded-For", client),
    ];
    all.extend_from_slice(headers);
    server.request("POST", "/report", &all, Some(&body))
}

/// GET returning the raw bytes (the harness's `Reply` holds text).
fn get_bytes(
    server: &TestServer,
    path: &str,
    cookie: Option<&str>,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut request = ureq::get(&server.url(path));
    if let Some(cookie) = cookie {
        request = request.set("Cookie", cookie);
    }
    let response = match request.call() {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(error) => panic!("GET {path}: {error}"),
    };
    let status = response.status();
    let headers = response
        .headers_names()
        .into_iter()
        .filter_map(|n| {
            response
                .header(&n)
                .map(|v| (n.to_ascii_lowercase(), v.to_owned()))
        })
        .collect();
    let mut bytes = Vec::new();
    response
        .into_reader()
        .read_to_end(&mut bytes)
        .expect("body");
    (status, headers, bytes)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

fn post_form(server: &TestServer, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Reply {
    let body = fields
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&");
    server.request(
        "POST",
        path,
        &[
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Cookie", cookie),
            ("X-Forwarded-For", "203.0.113.9"),
        ],
        Some(body.as_bytes()),
    )
}

/// `daylight admin add NAME --role district-officer --district ADCODE`, then signs in;
/// the session's `Cookie` value.
fn officer(server: &TestServer, name: &str, district: &str) -> String {
    let password = format!("{name}-password-1");
    let mut child = Command::new(binary())
        .current_dir(server.data_dir())
        .arg("--data-dir")
        .arg(server.data_dir())
        .args([
            "admin",
            "add",
            name,
            "--role",
            "district-officer",
            "--district",
            district,
        ])
        .arg("--password-stdin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("daylight admin add");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{password}\n").as_bytes())
        .expect("password");
    let output = child.wait_with_output().expect("daylight admin add");
    assert!(output.status.success(), "{}", describe(&output));
    let form = server.get("/admin/login");
    let login_cookie = form
        .header_all("set-cookie")
        .iter()
        .filter_map(|c| c.split(';').next())
        .collect::<Vec<_>>()
        .join("; ");
    let csrf = between(&form.body, r#"name="csrf" value=""#, "\"")
        .expect("csrf")
        .to_owned();
    let reply = post_form(
        server,
        "/admin/login",
        &login_cookie,
        &[("csrf", &csrf), ("username", name), ("password", &password)],
    );
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    reply
        .header_all("set-cookie")
        .iter()
        .filter_map(|c| c.split(';').next())
        .filter(|c| c.starts_with("daylight_admin="))
        .collect::<Vec<_>>()
        .join("; ")
}

fn complaint_total(server: &TestServer) -> u64 {
    server.get_json("/api/v1/complaints")["total"]
        .as_u64()
        .expect("total")
}

#[test]
fn photos_are_stored_stripped_for_the_public_and_published_by_an_officer() {
    let server = TestServer::start();
    let (own, other, inside) = two_districts(&server);
    let jpeg = jpeg_with_gps(4096);
    let png = png_with_text();
    let reply = submit(
        &server,
        inside,
        &[
            ("IMG_0001.jpg", "image/jpeg", &jpeg),
            ("screenshot.png", "image/png", &png),
        ],
        "198.51.100.1",
        &[],
    );
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    let follow = reply.header("location").expect("location").to_owned();
    let page = readable_html(&server.get(&follow).body);
    let code = between(&page, r#"data-code=""#, "\"")
        .expect("the tracking code")
        .to_owned();
    assert!(code.starts_with("TS-"), "{code}");
    let follow_path = follow.replace("?new=1", "");

    // The reporter sees their two photos, without metadata.
    for n in [1, 2] {
        assert!(
            page.contains(&format!("{follow_path}/photos/{n}")),
            "{}",
            excerpt(&page)
        );
    }
    let (status, headers, mine) = get_bytes(&server, &format!("{follow_path}/photos/1"), None);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("image/jpeg"));
    assert_eq!(header(&headers, "cache-control"), Some("no-store"));
    assert!(!contains(&mine, b"Exif"));
    let (status, headers, mine_png) = get_bytes(&server, &format!("{follow_path}/photos/2"), None);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("image/png"));
    assert!(!contains(&mine_png, b"Zhang San") && !contains(&mine_png, b"tEXt"));
    assert!(contains(&mine_png, b"IDAT"));

    // Not publishable yet: the public gets 404, and the register shows no photo.
    let public = format!("/complaints/{code}/photos/1");
    let (status, headers, _) = get_bytes(&server, &public, None);
    assert_eq!(status, 404);
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert_eq!(
        get_bytes(&server, "/complaints/TS-2026-AAAAAA/photos/1", None).0,
        404
    );
    assert_eq!(
        get_bytes(&server, &format!("/complaints/{code}/photos/x"), None).0,
        404
    );
    let register = server.get("/complaints");
    assert!(
        !register.body.contains(&public),
        "{}",
        excerpt(&register.body)
    );

    // The district's officer sees the original, metadata and all.
    let li = officer(&server, "li", &own);
    let admin_page = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", &li)]);
    assert_eq!(admin_page.status, 200, "{}", excerpt(&admin_page.body));
    assert!(admin_page
        .body
        .contains(&format!("/admin/complaint/{code}/photos/2")));
    let original_path = format!("/admin/complaint/{code}/photos/1");
    let (status, headers, original) = get_bytes(&server, &original_path, Some(&li));
    assert_eq!(status, 200);
    assert_eq!(
        original, jpeg,
        "the officer gets the original byte for byte"
    );
    assert_eq!(header(&headers, "content-type"), Some("image/jpeg"));
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));

    // Another district's officer, or nobody signed in: 403.
    let wang = officer(&server, "wang", &other);
    assert_eq!(get_bytes(&server, &original_path, Some(&wang)).0, 403);
    assert_eq!(get_bytes(&server, &original_path, None).0, 403);
    let csrf = between(&admin_page.body, r#"name="csrf" value=""#, "\"")
        .expect("csrf")
        .to_owned();
    let refused = post_form(
        &server,
        &original_path,
        &wang,
        &[("csrf", &csrf), ("publishable", "1")],
    );
    assert_eq!(refused.status, 403);
    let no_csrf = post_form(&server, &original_path, &li, &[("publishable", "1")]);
    assert_eq!(no_csrf.status, 403);
    assert_eq!(get_bytes(&server, &public, None).0, 404);

    // The officer marks photo 1 publishable: the public gets the stripped copy.
    let marked = post_form(
        &server,
        &original_path,
        &li,
        &[("csrf", &csrf), ("publishable", "1")],
    );
    assert_eq!(marked.status, 303, "{}", excerpt(&marked.body));
    let (status, headers, published) = get_bytes(&server, &public, None);
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-type"), Some("image/jpeg"));
    assert_eq!(header(&headers, "x-content-type-options"), Some("nosniff"));
    assert_eq!(published, mine, "the public gets the copy without metadata");
    assert!(published.starts_with(&[0xFF, 0xD8, 0xFF]));
    assert!(!contains(&published, b"Exif"));
    assert!(!contains(&published, &[0xFF, 0xE1]), "no APP1 segment");
    assert!(
        !contains(&published, &latitude_rationals()),
        "no GPS latitude"
    );
    assert!(!contains(&published, b"WGS-84"));
    assert!(!contains(&published, b"balcony"));
    assert!(contains(&original, b"Exif") && contains(&original, &latitude_rationals()));
    // The picture itself is untouched.
    let scan = scan_data(4096, 0x9E37_79B9_7F4A_7C15);
    assert!(contains(&published, &scan));
    assert_eq!(
        get_bytes(&server, &format!("/complaints/{code}/photos/2"), None).0,
        404
    );
    let register = eventually_contains(&server, "/complaints", &public);
    assert!(!register.contains(&format!("/complaints/{code}/photos/2")));

    // The decision is on the audit trail, and the chain holds.
    let admin_page = server.get_with(&format!("/admin/complaint/{code}"), &[("Cookie", &li)]);
    assert!(
        admin_page.body.contains("photo 1: marked publishable"),
        "{}",
        excerpt(&admin_page.body)
    );
    let verify = server.run_cli(["audit", "verify"]);
    assert!(verify.status.success(), "{}", describe(&verify));

    // Withdrawn again: 404 for the public.
    let withdrawn = post_form(
        &server,
        &original_path,
        &li,
        &[("csrf", &csrf), ("publishable", "0")],
    );
    assert_eq!(withdrawn.status, 303);
    assert_eq!(get_bytes(&server, &public, None).0, 404);
}

/// The register is behind a one-second page cache.
fn eventually_contains(server: &TestServer, path: &str, needle: &str) -> String {
    let started = std::time::Instant::now();
    loop {
        let body = server.get(path).body;
        if body.contains(needle) {
            return body;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{path} never showed {needle}:\n{}",
            excerpt(&body)
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
}

#[test]
fn refused_uploads_store_nothing_and_keep_what_was_typed() {
    let server = TestServer::start();
    let (_, _, inside) = two_districts(&server);
    let jpeg = jpeg_with_gps(1024);

    // A text file named .jpg, declared as a JPEG: 415, in Chinese by default.
    let text = b"this is not a photo at all".to_vec();
    let reply = submit(
        &server,
        inside,
        &[("notes.jpg", "image/jpeg", &text)],
        "198.51.100.11",
        &[],
    );
    assert_eq!(reply.status, 415, "{}", excerpt(&reply.body));
    let page = readable_html(&reply.body);
    assert!(
        page.contains("文件“notes.jpg”不是 JPEG、PNG 或 WebP 图片"),
        "{}",
        excerpt(&page)
    );
    assert!(
        page.contains("工地扬尘 &lt;dust&gt; &amp; smoke"),
        "{}",
        excerpt(&page)
    );
    assert!(page.contains(r#"aria-invalid="true""#));

    // In English with the language cookie.
    let reply = submit(
        &server,
        inside,
        &[("notes.jpg", "image/jpeg", &text)],
        "198.51.100.12",
        &[("Cookie", "daylight_lang=en")],
    );
    assert_eq!(reply.status, 415);
    assert!(
        reply
            .body
            .contains("The file “notes.jpg” is not a JPEG, PNG or WebP image."),
        "{}",
        excerpt(&reply.body)
    );

    // A good photo with a bad one: nothing at all is stored.
    let reply = submit(
        &server,
        inside,
        &[
            ("a.jpg", "image/jpeg", &jpeg),
            ("b.webp", "image/webp", &text),
        ],
        "198.51.100.13",
        &[],
    );
    assert_eq!(reply.status, 415);

    // Six photos: 400.
    let six: Vec<(&str, &str, &[u8])> = (0..6)
        .map(|_| ("p.jpg", "image/jpeg", jpeg.as_slice()))
        .collect();
    let reply = submit(&server, inside, &six, "198.51.100.14", &[]);
    assert_eq!(reply.status, 400, "{}", excerpt(&reply.body));
    assert!(readable_html(&reply.body).contains("最多只能附 5 张照片"));

    // An empty file: 400.
    let reply = submit(
        &server,
        inside,
        &[("empty.jpg", "image/jpeg", b"")],
        "198.51.100.15",
        &[],
    );
    assert_eq!(reply.status, 400, "{}", excerpt(&reply.body));

    // Over 10 MiB: 413, with the form and the text kept.
    let big = jpeg_with_gps(10 * 1024 * 1024);
    let reply = submit(
        &server,
        inside,
        &[("big.jpg", "image/jpeg", &big)],
        "198.51.100.16",
        &[],
    );
    assert_eq!(reply.status, 413, "{}", excerpt(&reply.body));
    let page = readable_html(&reply.body);
    assert!(
        page.contains("照片“big.jpg”超过 10 MB"),
        "{}",
        excerpt(&page)
    );
    assert!(page.contains("工地扬尘"), "{}", excerpt(&page));

    // A damaged JPEG (right magic bytes, no image data): 415.
    let reply = submit(
        &server,
        inside,
        &[("cut.jpg", "image/jpeg", &jpeg[..200])],
        "198.51.100.17",
        &[],
    );
    assert_eq!(reply.status, 415, "{}", excerpt(&reply.body));

    assert_eq!(
        complaint_total(&server),
        0,
        "a refused upload stores nothing"
    );
    assert!(!server.get("/complaints").body.contains("TS-"));

    // The form without a file chosen (browsers send an empty, nameless part) still works.
    let reply = submit(
        &server,
        inside,
        &[("", "application/octet-stream", b"")],
        "198.51.100.18",
        &[],
    );
    assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
    // The API answer above is kept by the one-second page cache.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    assert_eq!(complaint_total(&server), 1);
}

#[test]
fn a_repeated_submission_with_photos_is_stored_once() {
    let server = TestServer::start();
    let (_, _, inside) = two_districts(&server);
    let jpeg = jpeg_with_gps(2048);
    let (key, observed) = fresh_form(&server);
    let (lat, lon) = (inside.lat.to_string(), inside.lon.to_string());
    let body = multipart(
        &[
            ("key", &key),
            ("category", "odour"),
            ("description", "twice"),
            ("observed", &observed),
            ("lat", &lat),
            ("lon", &lon),
            ("consent", "yes"),
        ],
        &[("a.jpg", "image/jpeg", &jpeg)],
    );
    let content_type = format!("multipart/form-data; boundary={BOUNDARY}");
    let mut locations = Vec::new();
    for client in ["198.51.100.21", "198.51.100.22"] {
        let reply = server.request(
            "POST",
            "/report",
            &[("Content-Type", &content_type), ("X-Forwarded-For", client)],
            Some(&body),
        );
        assert_eq!(reply.status, 303, "{}", excerpt(&reply.body));
        locations.push(reply.header("location").expect("location").to_owned());
    }
    assert_eq!(locations[0], locations[1]);
    let follow = locations[0].replace("?new=1", "");
    assert_eq!(
        get_bytes(&server, &format!("{follow}/photos/1"), None).0,
        200
    );
    assert_eq!(
        get_bytes(&server, &format!("{follow}/photos/2"), None).0,
        404
    );
    assert_eq!(complaint_total(&server), 1);
}
