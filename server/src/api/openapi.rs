//! `GET /api/v1/openapi.json`: the API described as OpenAPI 3.0, built from the code's own
//! limits and vocabularies (parameter codes, AQI scales, page sizes, the licence), so the
//! document cannot drift from what the handlers accept. Response schemas name the fields the
//! handlers always write (`required`) and leave the rest open.

use axum::extract::State;
use axum::Json;
use daylight_app::data::SiteContext;
use daylight_domain::parameter::Parameter;
use serde_json::{json, Map, Value};

use super::licence;

/// An example station that the demo has (air) and one water section.
const EXAMPLE_AIR: &str = "1462A";
const EXAMPLE_WATER: &str = "W-BAHEKOU";
const EXAMPLE_FROM: &str = "2022-01-01T00:00:00+08:00";
const EXAMPLE_TO: &str = "2022-01-01T12:00:00+08:00";
/// A demo enterprise (fictional, server/demo/enterprises).
const EXAMPLE_ENTERPRISE: &str = "91610111MA6DM0001J";

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

fn error_response(description: &str) -> Value {
    json!({
        "description": description,
        "content": { "application/json": { "schema": schema_ref("Error") } },
    })
}

fn json_ok(description: &str, schema: &str) -> Value {
    json!({
        "description": description,
        "headers": {
            "ETag": { "$ref": "#/components/headers/ETag" },
            "Cache-Control": { "$ref": "#/components/headers/CacheControl" },
        },
        "content": { "application/json": { "schema": schema_ref(schema) } },
    })
}

/// The answers every read endpoint may give besides its 200.
fn read_errors(mut responses: Map<String, Value>, not_found: bool) -> Value {
    responses.insert(
        "304".into(),
        json!({ "description": "Not modified: the `If-None-Match` tag is current (no body)." }),
    );
    responses.insert(
        "400".into(),
        error_response("A query parameter is malformed (`bad_query_parameter`)."),
    );
    if not_found {
        responses.insert(
            "404".into(),
            error_response("No station with this code (`unknown_station`)."),
        );
    }
    responses.insert(
        "429".into(),
        json!({
            "description": "Too many requests from this address (`rate_limited`).",
            "headers": { "Retry-After": { "$ref": "#/components/headers/RetryAfter" } },
            "content": { "application/json": { "schema": schema_ref("Error") } },
        }),
    );
    responses.insert(
        "500".into(),
        error_response("Internal error (details go to the server log)."),
    );
    Value::Object(responses)
}

fn ok(description: &str, schema: &str) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("200".into(), json_ok(description, schema));
    map
}

fn range_parameters(with_parameter: bool, with_scale: bool) -> Vec<Value> {
    let mut list = vec![
        json!({ "$ref": "#/components/parameters/Code" }),
        json!({ "$ref": "#/components/parameters/From" }),
        json!({ "$ref": "#/components/parameters/To" }),
    ];
    if with_parameter {
        list.push(json!({ "$ref": "#/components/parameters/Parameter" }));
    }
    if with_scale {
        list.push(json!({ "$ref": "#/components/parameters/Scale" }));
    }
    list
}

fn with_example_code(mut list: Vec<Value>, code: &str) -> Vec<Value> {
    list[0] = json!({
        "name": "code", "in": "path", "required": true,
        "description": "Station code (1–32 ASCII letters, digits, `-`, `_`; case-sensitive).",
        "schema": { "type": "string", "pattern": "^[A-Za-z0-9_-]{1,32}$" },
        "example": code,
    });
    list
}

fn enterprise_code() -> Value {
    json!({
        "name": "code", "in": "path", "required": true,
        "description": "Unified social credit code (统一社会信用代码).",
        "schema": { "type": "string" },
        "example": EXAMPLE_ENTERPRISE,
    })
}

fn paths() -> Value {
    json!({
        "/api/v1": { "get": {
            "operationId": "index",
            "summary": "What the API offers and the licence of its data.",
            "responses": read_errors(ok("The index.", "Index"), false),
        }},
        "/api/v1/openapi.json": { "get": {
            "operationId": "openapi",
            "summary": "This document.",
            "responses": { "200": { "description": "OpenAPI 3.0 document.",
                "content": { "application/json": { "schema": { "type": "object" } } } } },
        }},
        "/api/v1/stations": { "get": {
            "operationId": "listStations",
            "summary": "Every station with its latest state (GeoJSON FeatureCollection).",
            "parameters": [{ "$ref": "#/components/parameters/Scale" }],
            "responses": read_errors(ok("Stations.", "StationCollection"), false),
        }},
        "/api/v1/stations/{code}/readings": { "get": {
            "operationId": "stationReadings",
            "summary": "Raw readings of one station in [from, to).",
            "description": "Without `from`/`to`: the window ending at the station's latest value. At most 366 days.",
            "parameters": with_example_code(range_parameters(true, false), EXAMPLE_AIR),
            "responses": read_errors(ok("Readings.", "Readings"), true),
        }},
        "/api/v1/stations/{code}/readings.csv": { "get": {
            "operationId": "stationReadingsCsv",
            "summary": "The same readings as CSV, streamed (a download).",
            "description": "First line: a `#` comment with the licence and attribution; then the header line `station,time,parameter,value,unit,flag,source,provenance`; one row per reading, oldest first. Also `Link: <…/by/4.0/>; rel=\"license\"` and `Content-Disposition: attachment`.",
            "parameters": with_example_code(range_parameters(true, false), EXAMPLE_AIR),
            "responses": read_errors({
                let mut map = Map::new();
                map.insert("200".into(), json!({
                    "description": "CSV rows.",
                    "headers": {
                        "Content-Disposition": { "schema": { "type": "string" }, "description": "attachment; filename=…" },
                        "Link": { "schema": { "type": "string" }, "description": "The licence (rel=\"license\")." },
                    },
                    "content": { "text/csv": { "schema": { "type": "string" } } },
                }));
                map
            }, true),
        }},
        "/api/v1/stations/{code}/aqi": { "get": {
            "operationId": "stationAqi",
            "summary": "The AQI of every hour of an air station, or why there is none.",
            "parameters": with_example_code(range_parameters(false, true), EXAMPLE_AIR),
            "responses": read_errors(ok("Hourly AQI (400 `wrong_station_kind` for a water section).", "AqiHours"), true),
        }},
        "/api/v1/water/{code}/class": { "get": {
            "operationId": "waterClass",
            "summary": "The GB 3838-2002 class of every sample of a water section.",
            "parameters": with_example_code(range_parameters(false, false), EXAMPLE_WATER),
            "responses": read_errors(ok("Samples (400 `wrong_station_kind` for an air station).", "WaterSamples"), true),
        }},
        "/api/v1/districts": { "get": {
            "operationId": "districts",
            "summary": "District boundaries (GeoJSON MultiPolygons, WGS-84).",
            "parameters": [{
                "name": "simplify", "in": "query", "required": false,
                "description": "Douglas–Peucker tolerance in degrees, 0 to 0.1.",
                "schema": { "type": "number", "minimum": 0, "maximum": 0.1 },
                "example": 0.001,
            }],
            "responses": read_errors(ok("Districts.", "DistrictCollection"), false),
        }},
        "/api/v1/complaints": { "get": {
            "operationId": "complaints",
            "summary": "The public complaints register, anonymised (GeoJSON), newest first.",
            "parameters": [
                { "name": "limit", "in": "query", "required": false,
                  "schema": { "type": "integer", "minimum": 0, "maximum": 500, "default": 100 }, "example": 10 },
                { "name": "offset", "in": "query", "required": false,
                  "schema": { "type": "integer", "minimum": 0, "default": 0 }, "example": 0 },
            ],
            "responses": read_errors(ok("A page of the register.", "ComplaintCollection"), false),
        }},
        "/api/v1/complaints/stats": { "get": {
            "operationId": "complaintStats",
            "summary": "Monthly statistics of the register per district and category: count, closed, median days to close (of those closed), share overdue (accepted or closed after its deadline, or still waiting past it).",
            "parameters": [
                { "name": "month", "in": "query", "required": false,
                  "description": "A month in the deployment's time zone, YYYY-MM, no later than the current one (default: the current month).",
                  "schema": { "type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$" }, "example": "2026-11" },
            ],
            "responses": read_errors(ok("The month's statistics (400 `bad_parameter` for a malformed or future month).", "ComplaintStats"), false),
        }},
        "/api/v1/enterprises": { "get": {
            "operationId": "enterprises",
            "summary": "Enterprises under pollution permits (search by name, code, district, industry).",
            "parameters": [{ "name": "q", "in": "query", "required": false,
                             "schema": { "type": "string" }, "example": "热电" }],
            "responses": read_errors(ok("Matching enterprises.", "EnterpriseList"), false),
        }},
        "/api/v1/enterprises/{code}": { "get": {
            "operationId": "enterprise",
            "summary": "One enterprise: permit, outlets, monitored pollutants with limits, latest values, completeness.",
            "parameters": [enterprise_code()],
            "responses": read_errors(ok("The enterprise (404 `unknown_enterprise`).", "Enterprise"), true),
        }},
        "/api/v1/enterprises/{code}/readings": { "get": {
            "operationId": "enterpriseReadings",
            "summary": "Self-monitoring values of an enterprise in [from, to) (default: the last 48 hours).",
            "parameters": [
                enterprise_code(),
                { "name": "from", "in": "query", "required": false, "schema": { "type": "string", "format": "date-time" } },
                { "name": "to", "in": "query", "required": false, "schema": { "type": "string", "format": "date-time" } },
                { "name": "outlet", "in": "query", "required": false, "schema": { "type": "string" } },
                { "name": "pollutant", "in": "query", "required": false, "description": "HJ 212 pollutant code, e.g. a34013.", "schema": { "type": "string" } },
            ],
            "responses": read_errors(ok("Values (404 `unknown_enterprise`).", "EnterpriseReadings"), true),
        }},
        "/api/v1/enterprises/{code}/exceedances": { "get": {
            "operationId": "enterpriseExceedances",
            "summary": "Exceedance events of an enterprise over its window.",
            "parameters": [enterprise_code()],
            "responses": read_errors(ok("Events (404 `unknown_enterprise`).", "EnterpriseExceedances"), true),
        }},
        "/api/v1/enterprises/{code}/statements": { "get": {
            "operationId": "enterpriseStatements",
            "summary": "The enterprise's statements (right of reply), newest first; never edited, a correction is a new statement with `corrects`.",
            "parameters": [enterprise_code()],
            "responses": read_errors(ok("Statements (404 `unknown_enterprise`).", "EnterpriseStatements"), true),
        }},
        "/api/v1/live": { "get": {
            "operationId": "live",
            "summary": "Committed values and station and enterprise summaries as server-sent events.",
            "description": "Events `readings` (a station's committed values), `station` (its map summary), `outlet` (an enterprise outlet's committed hourly values: `enterprise`, `outlet`, `period`, `readings` with `pollutant`, `time`, `value`, `unit`, `flag`, `source`, as in `/api/v1/enterprises/{code}/readings`; self-reported, not audited), `enterprise` (its map summary when it changed: `credit_code`, `name`, `lon`, `lat`, `district`, `industry`, `demo`, `exceeding_now`, `latest_time` in Unix seconds) and `resync`; ids `{start}-{seq}`; a comment every 15 s. Exempt from the request rate limit; concurrent streams per address are capped (429 `too_many_live_connections`).",
            "parameters": [
                { "$ref": "#/components/parameters/Scale" },
                { "name": "after", "in": "query", "required": false,
                  "description": "Start after this event id.", "schema": { "type": "string" } },
                { "name": "Last-Event-ID", "in": "header", "required": false,
                  "description": "As `after`; wins over it.", "schema": { "type": "string" } },
            ],
            "responses": {
                "200": { "description": "An endless event stream.",
                         "content": { "text/event-stream": { "schema": { "type": "string" } } } },
                "400": error_response("A malformed `after` or `scale`."),
                "429": error_response("Too many live connections from this address."),
            },
        }},
        "/api/v1/ingest/readings": { "post": {
            "operationId": "ingestReadings",
            "summary": "Push hourly readings (with a token issued by the operator).",
            "security": [{ "bearerToken": [] }],
            "requestBody": {
                "required": true,
                "content": { "application/json": { "schema": schema_ref("IngestRequest") } },
            },
            "responses": {
                "200": { "description": "Each item stored or rejected, with the reason.",
                         "content": { "application/json": { "schema": schema_ref("IngestResult") } } },
                "400": error_response("Not JSON (`malformed_json`) or not `{\"readings\": [...]}` (`bad_body`)."),
                "401": {
                    "description": "No token (`unauthorized`) or an invalid one (`invalid_token`).",
                    "headers": { "WWW-Authenticate": { "schema": { "type": "string" } } },
                    "content": { "application/json": { "schema": schema_ref("Error") } },
                },
                "413": error_response("More than 1 MiB (`body_too_large`) or 5,000 readings (`too_many_readings`)."),
                "415": error_response("Not `Content-Type: application/json`."),
                "429": error_response("Too many requests from this address (`rate_limited`)."),
                "503": error_response("Nothing was stored; try again (`unavailable`)."),
            },
        }},
    })
}

fn feature_collection(properties: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": { "type": "string", "enum": ["FeatureCollection"] },
            "features": { "type": "array", "items": {
                "type": "object",
                "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": { "type": "string", "enum": ["Feature"] },
                    "geometry": { "type": "object", "nullable": true },
                    "properties": { "type": "object", "required": required, "properties": properties },
                },
            }},
        },
    })
}

fn time_string() -> Value {
    json!({ "type": "string", "format": "date-time" })
}

fn schemas() -> Value {
    let parameter_codes: Vec<&str> = Parameter::ALL.iter().map(|p| p.code()).collect();
    let reading = json!({
        "type": "object",
        "required": ["time", "parameter", "value", "unit", "flag", "source"],
        "properties": {
            "time": time_string(),
            "parameter": { "type": "string", "enum": parameter_codes },
            "value": { "type": "number" },
            "unit": { "type": "string" },
            "flag": { "type": "string" },
            "source": { "$ref": "#/components/schemas/Source" },
            "provenance": { "type": "string" },
        },
    });
    let mut schemas = json!({
        "Error": {
            "type": "object", "required": ["error"],
            "properties": { "error": {
                "type": "object", "required": ["status", "code", "message"],
                "properties": {
                    "status": { "type": "integer" },
                    "code": { "type": "string" },
                    "message": { "type": "string", "description": "In the caller's language (Accept-Language: en → English, otherwise Chinese)." },
                },
            }},
        },
        "Source": { "type": "string", "enum": ["measured", "replayed", "simulated", "self_reported"] },
        "Index": {
            "type": "object", "required": ["name", "version", "openapi", "licence", "endpoints"],
            "properties": {
                "name": { "type": "string" }, "version": { "type": "string" },
                "openapi": { "type": "string" },
                "licence": { "type": "object", "required": ["name", "url"] },
                "endpoints": { "type": "array", "items": { "type": "string" } },
            },
        },
        "StationCollection": feature_collection(json!({
            "code": { "type": "string" }, "name": { "type": "string" },
            "kind": { "type": "string", "enum": ["air", "water"] },
            "district": { "type": "string", "nullable": true },
            "latest_time": { "type": "string", "format": "date-time", "nullable": true },
            "latest": { "type": "object", "nullable": true, "description": "AQI object (air) or class object (water), null without data." },
        }), &["code", "name", "kind", "latest_time", "latest"]),
        "Reading": reading,
        "Readings": {
            "type": "object", "required": ["station", "from", "to", "readings"],
            "properties": {
                "station": { "type": "string" }, "from": time_string(), "to": time_string(),
                "readings": { "type": "array", "items": schema_ref("Reading") },
            },
        },
        "AqiHours": {
            "type": "object", "required": ["station", "scale", "standard", "from", "to", "hours"],
            "properties": {
                "station": { "type": "string" },
                "scale": { "type": "string", "enum": ["hj633", "us-epa"] },
                "standard": { "type": "string" }, "from": time_string(), "to": time_string(),
                "hours": { "type": "array", "items": {
                    "type": "object", "required": ["time", "source", "aqi"],
                    "properties": {
                        "time": time_string(), "source": schema_ref("Source"),
                        "aqi": { "type": "integer", "nullable": true },
                        "category": { "type": "object" },
                        "primary_pollutants": { "type": "array", "items": { "type": "string" } },
                        "sub_indices": { "type": "array", "items": { "type": "object" } },
                        "reason_zh": { "type": "string" }, "reason_en": { "type": "string" },
                    },
                }},
            },
        },
        "WaterSamples": {
            "type": "object", "required": ["station", "water_body", "judgement", "from", "to", "samples"],
            "properties": {
                "station": { "type": "string" }, "water_body": { "type": "string" },
                "judgement": { "type": "string" }, "from": time_string(), "to": time_string(),
                "samples": { "type": "array", "items": {
                    "type": "object", "required": ["time", "source", "class"],
                    "properties": {
                        "time": time_string(), "source": schema_ref("Source"),
                        "class": { "type": "string", "nullable": true, "enum": ["I", "II", "III", "IV", "V", "劣V", null] },
                        "deciding_items": { "type": "array", "items": { "type": "string" } },
                    },
                }},
            },
        },
        "DistrictCollection": feature_collection(json!({
            "adcode": { "type": "string" }, "name": { "type": "string" },
            "center": { "type": "array", "items": { "type": "number" }, "minItems": 2, "maxItems": 2 },
        }), &["adcode", "name", "center"]),
        "ComplaintCollection": {
            "allOf": [
                feature_collection(json!({
                    "tracking_code": { "type": "string" }, "category": { "type": "string" },
                    "status": { "type": "string" }, "submitted": time_string(),
                }), &["tracking_code", "category", "status", "submitted"]),
                { "type": "object", "required": ["total", "limit", "offset"], "properties": {
                    "total": { "type": "integer" }, "limit": { "type": "integer" }, "offset": { "type": "integer" },
                }},
            ],
        },
        "EnterpriseList": {
            "type": "object", "required": ["notice", "total", "enterprises"],
            "properties": {
                "notice": { "type": "string" }, "total": { "type": "integer" },
                "enterprises": { "type": "array", "items": {
                    "type": "object", "required": ["credit_code", "name", "demo", "exceeding_now"],
                    "properties": {
                        "credit_code": { "type": "string" }, "name": { "type": "string" },
                        "demo": { "type": "boolean" }, "exceeding_now": { "type": "boolean" },
                        "latest_time": { "type": "string", "format": "date-time", "nullable": true },
                    },
                }},
            },
        },
        "Enterprise": {
            "type": "object", "required": ["notice", "credit_code", "name", "demo", "window", "outlets"],
            "properties": {
                "notice": { "type": "string" }, "credit_code": { "type": "string" },
                "name": { "type": "string" }, "demo": { "type": "boolean" },
                "window": { "type": "object", "required": ["from", "to"] },
                "outlets": { "type": "array", "items": {
                    "type": "object", "required": ["code", "name", "kind", "monitored"],
                }},
            },
        },
        "EnterpriseReadings": {
            "type": "object", "required": ["notice", "credit_code", "demo", "from", "to", "readings"],
            "properties": {
                "credit_code": { "type": "string" }, "from": time_string(), "to": time_string(),
                "readings": { "type": "array", "items": {
                    "type": "object", "required": ["outlet", "pollutant", "time", "value", "unit"],
                    "properties": {
                        "outlet": { "type": "string" }, "pollutant": { "type": "string" },
                        "time": time_string(), "value": { "type": "number" }, "unit": { "type": "string" },
                    },
                }},
            },
        },
        "EnterpriseExceedances": {
            "type": "object", "required": ["notice", "credit_code", "demo", "window", "exceedances"],
            "properties": {
                "credit_code": { "type": "string" },
                "exceedances": { "type": "array", "items": {
                    "type": "object", "required": ["outlet", "pollutant", "limit", "unit", "start"],
                }},
            },
        },
        "IngestRequest": {
            "type": "object", "required": ["readings"], "additionalProperties": false,
            "properties": { "readings": { "type": "array", "maxItems": super::ingest::MAX_READINGS, "items": {
                "type": "object", "required": ["station", "parameter", "time", "value", "unit"],
                "additionalProperties": false,
                "properties": {
                    "station": { "type": "string" }, "parameter": { "type": "string" },
                    "time": time_string(), "value": { "type": "number" }, "unit": { "type": "string" },
                    "flag": { "type": "string", "nullable": true },
                    "source": { "type": "string", "nullable": true, "enum": ["measured", "replayed", null] },
                    "provenance": { "description": "Ignored." },
                },
            }}},
        },
        "IngestResult": {
            "type": "object", "required": ["stored", "rejected", "results"],
            "properties": {
                "stored": { "type": "integer" }, "rejected": { "type": "integer" },
                "results": { "type": "array", "items": {
                    "type": "object", "required": ["index", "status"],
                    "properties": {
                        "index": { "type": "integer" },
                        "status": { "type": "string", "enum": ["stored", "rejected"] },
                        "error": { "type": "object", "properties": {
                            "code": { "type": "string" }, "message": { "type": "string" },
                        }},
                    },
                }},
            },
        },
    });
    // Apart from the literal above, which is at the json! macro's recursion limit.
    schemas["EnterpriseStatements"] = statements_schema();
    schemas["ComplaintStats"] = complaint_stats_schema();
    schemas
}

fn statements_schema() -> Value {
    json!({
        "type": "object", "required": ["notice", "credit_code", "demo", "statements"],
        "properties": {
            "credit_code": { "type": "string" },
            "statements": { "type": "array", "items": {
                "type": "object", "required": ["id", "kind", "body", "author", "published"],
                "properties": {
                    "id": { "type": "integer" }, "kind": { "type": "string" },
                    "body": { "type": "string" }, "author": { "type": "string" },
                    "published": time_string(),
                    "corrects": { "type": "integer", "nullable": true },
                },
            }},
        },
    })
}

fn components() -> Value {
    let parameter_codes: Vec<&str> = Parameter::ALL.iter().map(|p| p.code()).collect();
    json!({
        "schemas": schemas(),
        "parameters": {
            "Code": { "name": "code", "in": "path", "required": true,
                      "schema": { "type": "string" }, "example": EXAMPLE_AIR },
            "From": { "name": "from", "in": "query", "required": false,
                      "description": "ISO 8601 with an offset (URL-encode `+` as `%2B`); inclusive.",
                      "schema": { "type": "string", "format": "date-time" }, "example": EXAMPLE_FROM },
            "To": { "name": "to", "in": "query", "required": false,
                    "description": "ISO 8601 with an offset; exclusive. At most 366 days after `from`.",
                    "schema": { "type": "string", "format": "date-time" }, "example": EXAMPLE_TO },
            "Parameter": { "name": "parameter", "in": "query", "required": false,
                           "description": "Only this parameter.",
                           "schema": { "type": "string", "enum": parameter_codes }, "example": "PM2.5" },
            "Scale": { "name": "scale", "in": "query", "required": false,
                       "description": "AQI scale; default: the deployment's.",
                       "schema": { "type": "string", "enum": ["hj633", "us-epa"] }, "example": "hj633" },
        },
        "headers": {
            "ETag": { "description": "Strong tag of this representation; send it back in `If-None-Match` for a 304.",
                      "schema": { "type": "string" } },
            "CacheControl": { "description": "`public, max-age=60` for latest values, `public, max-age=3600` for boundaries and this document.",
                              "schema": { "type": "string" } },
            "RetryAfter": { "description": "Seconds to wait.", "schema": { "type": "integer" } },
        },
        "securitySchemes": {
            "bearerToken": { "type": "http", "scheme": "bearer",
                             "description": "A token issued with `daylight token add` (`dlt_` + 64 hex digits)." },
        },
    })
}

/// The whole document; `server` is the public address when it is configured.
/// `GET /api/v1/complaints/stats` (its own function: one `json!` would exceed the macro
/// recursion limit).
fn complaint_stats_schema() -> Value {
    json!({
        "type": "object", "required": ["month", "from", "to", "deadlines", "rows"],
        "properties": {
            "month": { "type": "string", "example": "2026-11" },
            "from": time_string(), "to": time_string(),
            "deadlines": { "type": "object", "required": ["accept_working_days", "close_days"], "properties": {
                "accept_working_days": { "type": "integer" }, "close_days": { "type": "integer" },
            }},
            "rows": { "type": "array", "items": {
                "type": "object",
                "required": ["district_adcode", "district", "category", "count", "closed", "median_days_to_close", "overdue", "overdue_share"],
                "properties": {
                    "district_adcode": { "type": "string", "nullable": true, "description": "null: the city-level queue." },
                    "district": { "type": "string", "nullable": true },
                    "category": { "type": "string" },
                    "category_name_zh": { "type": "string" }, "category_name_en": { "type": "string" },
                    "count": { "type": "integer" }, "closed": { "type": "integer" },
                    "median_days_to_close": { "type": "number", "nullable": true, "description": "null when none is closed." },
                    "overdue": { "type": "integer" },
                    "overdue_share": { "type": "number", "minimum": 0, "maximum": 1 },
                },
            }},
        },
    })
}

/// `GET /api/v1/snapshots/{id}` and its schema (server/src/snapshot): added apart from
/// [`paths`] and [`schemas`], whose `json!` literals are at the macro's recursion limit.
/// The id has no example: a snapshot exists only once someone took it.
fn add_snapshots(doc: &mut Value) {
    let name = json!({ "type": "object", "required": ["zh", "en"], "properties": {
        "zh": { "type": "string" }, "en": { "type": "string" } } });
    let aqi = json!({
        "type": "object", "nullable": true, "required": ["scale", "aqi", "primary"],
        "properties": {
            "scale": { "type": "string", "enum": ["hj633", "us-epa"] },
            "aqi": { "type": "integer", "nullable": true },
            "level": { "type": "integer", "nullable": true },
            "category": { "allOf": [name.clone()], "nullable": true },
            "color": { "type": "string", "nullable": true },
            "primary": { "type": "array", "items": name.clone() },
            "reason": { "allOf": [name.clone()], "nullable": true, "description": "Why there is no AQI." },
        },
    });
    let value = json!({
        "type": "object",
        "required": ["parameter", "name", "value", "unit", "flag", "source"],
        "properties": {
            "parameter": { "type": "string" }, "name": name.clone(),
            "value": { "type": "number" }, "unit": { "type": "string" },
            "flag": { "type": "string" }, "source": schema_ref("Source"),
            "provenance": { "type": "string" },
            "iaqi_hj633": { "type": "integer", "nullable": true },
            "iaqi_us_epa": { "type": "integer", "nullable": true },
            "water_class": { "type": "string", "nullable": true },
        },
    });
    let hour = json!({
        "type": "object", "required": ["time", "values"],
        "properties": {
            "time": time_string(),
            "values": { "type": "array", "items": value },
            "aqi_hj633": aqi.clone(), "aqi_us_epa": aqi,
            "water": { "type": "object", "nullable": true, "required": ["class"], "properties": {
                "class": { "type": "string" }, "label": name.clone(), "quality": name.clone(),
                "color": { "type": "string" },
                "deciding": { "type": "array", "items": name.clone() },
                "missing": { "type": "array", "items": name.clone() },
            }},
            "source": { "type": "string", "nullable": true },
        },
    });
    let schema = json!({
        "type": "object",
        "required": ["id", "url", "csv", "live_url", "taken", "citation", "snapshot", "licence"],
        "properties": {
            "id": { "type": "string", "pattern": "^[a-z2-7]{10}$" },
            "url": { "type": "string", "description": "The permalink (HTML)." },
            "csv": { "type": "string", "description": "The same data as CSV." },
            "live_url": { "type": "string", "description": "The live station or water page." },
            "taken": time_string(),
            "citation": name,
            "snapshot": {
                "type": "object",
                "required": ["version", "taken", "station", "window_hours", "hours", "attribution"],
                "properties": {
                    "version": { "type": "integer" },
                    "taken": time_string(),
                    "station": { "type": "object", "required": ["code", "name", "kind"], "properties": {
                        "code": { "type": "string" }, "name": { "type": "string" },
                        "kind": { "type": "string", "enum": ["air", "water"] },
                    }},
                    "window_hours": { "type": "integer" },
                    "hours": { "type": "array", "items": hour, "description": "Oldest first; the last is the latest hour the page showed." },
                    "attribution": { "type": "object" },
                },
            },
            "licence": { "type": "object" },
        },
    });
    doc["components"]["schemas"]["Snapshot"] = schema;
    doc["paths"]["/api/v1/snapshots/{id}"] = json!({ "get": {
        "operationId": "snapshot",
        "summary": "A citable snapshot: what a station or water page showed when someone pressed 引用 / Cite, frozen (never recomputed; later corrections of the data do not change it).",
        "parameters": [{ "name": "id", "in": "path", "required": true,
            "description": "The id in the permalink /snapshot/{id}.",
            "schema": { "type": "string", "pattern": "^[a-z2-7]{10}$" } }],
        "responses": {
            "200": {
                "description": "The snapshot (Cache-Control: immutable, a year).",
                "content": { "application/json": { "schema": schema_ref("Snapshot") } },
            },
            "404": error_response("No snapshot with this id (`unknown_snapshot`)."),
            "429": error_response("Too many requests from this address (`rate_limited`)."),
            "503": error_response("The store is unavailable; try again (`unavailable`)."),
        },
    }});
}

pub fn document(server: Option<&str>) -> Value {
    let mut doc = json!({
        "openapi": "3.0.3",
        "info": {
            "title": "Daylight open data API",
            "version": "1",
            "description": format!("Stations, readings, AQI, water class, districts, complaints and a live stream. Reads need no key and are open to any origin (CORS); per-address rate limits apply (429 with Retry-After). {}", licence::statement_line()),
            "license": { "name": licence::LICENCE_NAME, "url": licence::LICENCE_URL },
            "x-daylight-licence": licence::statement(),
        },
        "paths": paths(),
        "components": components(),
    });
    add_snapshots(&mut doc);
    add_geojson_and_feeds(&mut doc);
    if let Some(url) = server {
        doc["servers"] = json!([{ "url": url }]);
    }
    doc
}

pub async fn handler(State(site): State<SiteContext>) -> Json<Value> {
    Json(document(site.public_url.as_deref()))
}

/// The GeoJSON register and the Atom feeds (issue 7). Added to the document apart from
/// [`paths`], whose `json!` literal is at the macro's recursion limit. Their 200s are not
/// `application/json`, so the schema conformance test leaves them to their own tests.
fn add_geojson_and_feeds(doc: &mut Value) {
    let geojson_ok = |description: &str| {
        json!({
            "description": description,
            "headers": {
                "ETag": { "$ref": "#/components/headers/ETag" },
                "Cache-Control": { "$ref": "#/components/headers/CacheControl" },
            },
            "content": { "application/geo+json": { "schema": schema_ref("EnterpriseFeatureCollection") } },
        })
    };
    let atom_ok = |description: &str| {
        json!({
            "description": description,
            "headers": {
                "ETag": { "$ref": "#/components/headers/ETag" },
                "Cache-Control": { "$ref": "#/components/headers/CacheControl" },
            },
            "content": { "application/atom+xml": { "schema": { "type": "string" } } },
        })
    };
    let q = json!({ "name": "q", "in": "query", "required": false,
                    "schema": { "type": "string" }, "example": "热电" });
    let lang = json!({ "name": "lang", "in": "query", "required": false,
                       "description": "Language of titles and summaries (default `zh`).",
                       "schema": { "type": "string", "enum": ["zh", "en"] } });
    let mut geojson = Map::new();
    geojson.insert(
        "200".into(),
        geojson_ok("The register as a GeoJSON FeatureCollection."),
    );
    let mut alerts = Map::new();
    alerts.insert(
        "200".into(),
        atom_ok("An Atom 1.0 feed (RFC 4287), newest first, at most 100 entries."),
    );
    alerts.insert(
        "404".into(),
        error_response("No such station (`unknown_station`) or enterprise (`unknown_enterprise`)."),
    );
    let mut complaints = Map::new();
    complaints.insert(
        "200".into(),
        atom_ok("An Atom 1.0 feed of the newest 100 complaints of the public register."),
    );
    let paths = json!({
        "/api/v1/enterprises.geojson": { "get": {
            "operationId": "enterprisesGeojson",
            "summary": "The enterprise register as GeoJSON (also `GET /api/v1/enterprises?format=geojson`): a Feature per enterprise at its registered position (WGS-84, [lon, lat]; null geometry when none is registered).",
            "parameters": [q],
            "responses": read_errors(geojson, false),
        }},
        "/feeds/alerts.atom": { "get": {
            "operationId": "alertsFeed",
            "summary": "Alerts of the last 7 days as Atom: a station's hourly AQI at or above `level`, an outlet's exceedance starting or ending, a water section's class changing.",
            "parameters": [
                { "name": "station", "in": "query", "required": false, "description": "Only this station's or water section's alerts.", "schema": { "type": "string" }, "example": "1462A" },
                { "name": "enterprise", "in": "query", "required": false, "description": "Only this enterprise's exceedances (credit code).", "schema": { "type": "string" } },
                { "name": "level", "in": "query", "required": false, "description": "The AQI alert level (default 151).", "schema": { "type": "integer", "minimum": 1, "maximum": 500, "default": 151 } },
                lang.clone(),
            ],
            "responses": read_errors(alerts, false),
        }},
        "/feeds/complaints.atom": { "get": {
            "operationId": "complaintsFeed",
            "summary": "The public complaint register as Atom (no contact, description or address); an entry's `updated` is its last status change.",
            "parameters": [lang],
            "responses": read_errors(complaints, false),
        }},
    });
    if let (Some(all), Value::Object(new)) = (doc["paths"].as_object_mut(), paths) {
        all.extend(new);
    }
    doc["components"]["schemas"]["EnterpriseFeatureCollection"] = feature_collection(
        json!({
            "credit_code": { "type": "string" },
            "name": { "type": "string" },
            "district": { "type": "string", "nullable": true },
            "industry": { "type": "string" },
            "permit_number": { "type": "string", "nullable": true },
            "key_unit": { "type": "string", "nullable": true },
            "demo": { "type": "boolean" },
            "exceeding_now": { "type": "boolean" },
            "latest_time": { "type": "string", "format": "date-time", "nullable": true },
            "page": { "type": "string" },
        }),
        &["credit_code", "name", "demo", "exceeding_now"],
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_reference_resolves() {
        let doc = document(None);
        let text = doc.to_string();
        for part in text.split("\"$ref\":\"#/").skip(1) {
            let path = &part[..part.find('"').unwrap()];
            let mut node = &doc;
            for segment in path.split('/') {
                node = node
                    .get(segment)
                    .unwrap_or_else(|| panic!("dangling $ref {path}"));
            }
        }
    }
}
