// Tests of the project's Spectral rules (.spectral.yaml): each case breaks
// a copy of openapi.yaml the way a rule forbids and requires that rule to
// report it. One Spectral run checks every copy. Run by `make lint-oas`
// (scripts/lint-oas.sh) with node's test runner.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const yaml = createRequire(import.meta.url)("@stoplight/yaml");
const spec = readFileSync(join(here, "..", "..", "openapi.yaml"), "utf8");

const list = (d) => d.paths["/accounts/{account_id}/ai-search/tokens"];
const item = (d) => d.paths["/accounts/{account_id}/ai-search/tokens/{id}"];
const schemas = (d) => d.components.schemas;
const inResponses = (d, fn) => {
  for (const path of Object.values(d.paths))
    for (const [m, op] of Object.entries(path)) if (m !== "parameters") fn(op.responses);
};

// [name, the rule that must fire, edit]
const cases = [
  ["operation without summary", "operation-summary", (d) => { delete list(d).get.summary; }],
  ["operation without description", "operation-description", (d) => { item(d).put.description = ""; }],
  ["operation without operationId", "operation-operationId", (d) => { delete item(d).delete.operationId; }],
  ["operation without tag", "operation-tags", (d) => { delete list(d).post.tags; }],
  ["operation without security", "operation-security", (d) => { delete item(d).get.security; }],
  ["operation with empty security", "operation-security", (d) => { item(d).get.security = []; }],
  ["parameter without description", "oas3-parameter-description", (d) => {
    delete list(d).get.parameters.find((p) => p.name === "search").description;
  }],
  ["component parameter without description", "oas3-parameter-description", (d) => { delete d.components.parameters.TokenID.description; }],
  ["property without description", "property-description", (d) => { delete schemas(d).Token.properties.name.description; }],
  ["$ref property whose schema has no description", "property-description", (d) => { delete schemas(d).ResultInfo.description; }],
  ["response without description", "response-description", (d) => { item(d).get.responses["404"].description = ""; }],
  ["request body without description", "request-body-description", (d) => { delete item(d).put.requestBody.description; }],
  ["header without description", "header-description", (d) => { delete d.components.responses.RateLimited.headers["Retry-After"].description; }],
  ["error response with inline schema", "error-envelope", (d) => {
    item(d).delete.responses["409"].content["application/json"].schema = structuredClone(schemas(d).ErrorEnvelope);
  }],
  ["error response with a success schema", "error-envelope", (d) => {
    list(d).get.responses["400"].content["application/json"].schema = { $ref: "#/components/schemas/TokenEnvelope" };
  }],
  ["error response without body", "error-envelope", (d) => { item(d).get.responses["500"] = { description: "Edge error." }; }],
  ["shared response with a success schema", "error-envelope-shared", (d) => {
    d.components.responses.RateLimited.content["application/json"].schema = { $ref: "#/components/schemas/TokenEnvelope" };
  }],
  ["bad parameter example", "oas3-valid-schema-example", (d) => {
    list(d).get.parameters.find((p) => p.name === "per_page").schema.example = 500;
  }],
  ["bad property example", "oas3-valid-schema-example", (d) => { schemas(d).Token.properties.created_at.example = "yesterday"; }],
  ["bad response example", "oas3-valid-media-example", (d) => {
    d.components.responses.AuthenticationError.content["application/json"].example = { success: true, errors: [] };
  }],
  ["response example leaking the secret", "oas3-valid-media-example", (d) => {
    list(d).post.responses["201"].content["application/json"].example.result.cf_api_key = "REDACTED";
  }],
  ["unused schema", "oas3-unused-component", (d) => { schemas(d).Orphan = { type: "string", description: "Nobody uses this." }; }],
  ["unused response", "oas3-unused-component", (d) => inResponses(d, (r) => { delete r["429"]; })],
  ["dangling $ref", "invalid-ref", (d) => { list(d).get.responses["400"].content["application/json"].schema = { $ref: "#/components/schemas/Nope" }; }],
];

test("every rule fires on the copy that breaks it", () => {
  const dir = mkdtempSync(join(tmpdir(), "oaslint-"));
  try {
    const files = cases.map(([name, , edit], i) => {
      const doc = yaml.parse(spec);
      edit(doc);
      const file = join(dir, `case-${i}.json`);
      writeFileSync(file, JSON.stringify(doc));
      return file;
    });
    let out;
    try {
      out = execFileSync(join(here, "node_modules", ".bin", "spectral"),
        ["lint", "--ruleset", join(here, ".spectral.yaml"), "--format", "json", "--quiet", ...files], { encoding: "utf8", maxBuffer: 64 << 20 });
    } catch (e) {
      out = e.stdout; // spectral exits 1 when it finds something, as it must here
    }
    const results = JSON.parse(out);
    cases.forEach(([name, rule], i) => {
      const fired = results.filter((r) => r.source === files[i]).map((r) => r.code);
      assert.ok(fired.includes(rule), `${name}: ${rule} did not fire (got: ${[...new Set(fired)].join(", ") || "nothing"})`);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
