import { Validator } from "@seriousme/openapi-schema-validator";
import { readFileSync } from "node:fs";
const v = new Validator();
const r = await v.validate(JSON.parse(readFileSync("/tmp/oa.json","utf8")));
console.log(v.version, JSON.stringify(r).slice(0,2000));
