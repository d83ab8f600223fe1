// Validates a JSON document against a JSON schema (draft-06/07) with Ajv.
// Usage: node validate-json.js <schema.json> <document.json>
// Exit 0 = valid; 1 = invalid (errors on stdout as JSON); 2 = usage or setup error.
"use strict";
const fs = require("fs");
let Ajv, addFormats;
try {
  Ajv = require("ajv");
  addFormats = require("ajv-formats");
} catch (e) {
  console.error("ajv is not installed: run `npm ci --prefix " + __dirname + "` (" + e.message + ")");
  process.exit(2);
}
const [schemaPath, documentPath] = process.argv.slice(2);
if (!schemaPath || !documentPath) {
  console.error("usage: node validate-json.js <schema.json> <document.json>");
  process.exit(2);
}
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json"));
addFormats(ajv);
// The voc schema uses a "color" format that no standard names: a CSS hex colour.
ajv.addFormat("color", /^#[0-9a-fA-F]{6}$/);
const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
const document = JSON.parse(fs.readFileSync(documentPath, "utf8"));
const validate = ajv.compile(schema);
if (validate(document)) {
  console.log("valid");
  process.exit(0);
}
console.log(JSON.stringify(validate.errors, null, 2));
process.exit(1);
