// OneRoster error bodies: the imsx status payload (OneRoster 1.1 §3.3 / 1.2 §3.3, codeMinor
// vocabulary), shaped per binding: 1.1 (direct and ClassLink) writes `imsx_CodeMinor`, 1.2 the
// lower-case `imsx_codeMinor` of the 1.2 JSON binding (imsx_StatusInfo).

import { send } from "../util.mjs";

export class RosterError extends Error {
  /** `codeMinor`: unauthorisedrequest | forbidden | unknownobject | invaliddata | invalid_filter_field | … */
  constructor(status, codeMinor, description, headers = {}) {
    super(description);
    Object.assign(this, { status, codeMinor, headers });
  }
}

/** The imsx payload of `e` for `version` ("v1p1" | "v1p2"). */
export function imsxBody(e, version) {
  const minor = { imsx_codeMinorField: [{ imsx_codeMinorFieldName: "TargetEndSystem", imsx_codeMinorFieldValue: e.codeMinor }] };
  return {
    imsx_codeMajor: "failure",
    imsx_severity: "error",
    imsx_description: e.message,
    [version === "v1p2" ? "imsx_codeMinor" : "imsx_CodeMinor"]: minor,
  };
}

export function writeError(res, e, version) {
  send(res, e.status, { "Content-Type": "application/json; charset=utf-8", ...e.headers }, JSON.stringify(imsxBody(e, version)));
}
