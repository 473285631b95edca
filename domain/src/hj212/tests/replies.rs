//! Replies (Appendix C).

use super::*;

#[test]
fn data_reply_matches_appendix_c() {
    // Table C.14: the upload and the host's data reply.
    let upload = seg(
        "QN=20160801085857223;ST=32;CN=2011;PW=123456;MN=010000A8900016F000169DC0;\
Flag=5;CP=&&DataTime=20160801085857;w01001-Rtd=7.1,w01001-Flag=N&&",
    );
    let reply = data_reply(&upload, at(2020, 1, 1, 0, 0, 0));
    assert_eq!(
        reply,
        "##0087QN=20160801085857223;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;\
Flag=4;CP=&&&&3240\r\n"
    );
    // Table C.50: each split packet is answered with its own QN.
    let split = seg(APPENDIX_C[19].1);
    let reply = data_reply(&split, at(2020, 1, 1, 0, 0, 0));
    assert_eq!(
        reply,
        frame(
            "QN=20160801085857535;ST=91;CN=9014;PW=123456;MN=010000A8900016F000169DC0;\
Flag=4;CP=&&&&"
        )
    );
    let frame = strict(reply.as_bytes()).unwrap();
    let parsed = frame.parse_segment().unwrap();
    assert_eq!(parsed.command(), Command::Other(9014));
    assert_eq!(parsed.st(), "91");
    assert!(!parsed.needs_ack());
}

#[test]
fn data_reply_to_a_request_without_qn_gets_a_fresh_one() {
    let upload = seg(LEGACY_RTD);
    let now = NaiveDate::from_ymd_opt(2024, 5, 6)
        .and_then(|d| d.and_hms_milli_opt(7, 8, 9, 12))
        .unwrap();
    let reply = data_reply(&upload, now);
    assert_eq!(
        reply,
        frame("QN=20240506070809012;ST=91;CN=9014;PW=123456;MN=88888880000001;CP=&&&&")
    );
    let frame = strict(reply.as_bytes()).unwrap();
    let parsed = frame.parse_segment().unwrap();
    assert_eq!(parsed.qn_time(), Some(now));
    // A 2025-style Flag (version bits 000010) keeps its version in the reply.
    let v2025 = seg(
        "QN=20260101000000000;ST=22;CN=2011;PW=123456;MN=0123456789ABCDEF01234567;\
Flag=9;CP=&&&&",
    );
    assert!(data_reply(&v2025, now).contains(";Flag=8;CP=&&&&"));
}

#[test]
fn request_reply_matches_appendix_c() {
    let request = seg(APPENDIX_C[0].1);
    assert_eq!(
        request_reply(&request, QnRtn::Ready),
        "##0094QN=20160801085857223;ST=91;CN=9011;PW=123456;MN=010000A8900016F000169DC0;\
Flag=4;CP=&&QnRtn=1&&1B00\r\n"
    );
    let refused = request_reply(&request, QnRtn::CrcError);
    let refused_frame = strict(refused.as_bytes()).unwrap();
    let parsed = refused_frame.parse_segment().unwrap();
    assert_eq!(parsed.command(), Command::Other(9011));
    assert_eq!(parsed.cp_data().unwrap().get("QnRtn"), Some("9"));
    let no_qn = request_reply(&seg(LEGACY_RTD), QnRtn::PwError);
    assert_eq!(
        no_qn,
        frame("ST=91;CN=9011;PW=123456;MN=88888880000001;CP=&&QnRtn=3&&")
    );
}

#[test]
fn qn_rtn_codes_of_table_7() {
    let codes: Vec<u16> = QnRtn::ALL.iter().map(|q| q.code()).collect();
    assert_eq!(codes, [1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
    for q in QnRtn::ALL {
        assert_eq!(QnRtn::from_code(q.code()), Some(q));
    }
    assert_eq!(QnRtn::from_code(0), None);
    assert_eq!(QnRtn::from_code(10), None);
}
