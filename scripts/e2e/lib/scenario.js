'use strict';
// Reads a fake-host scenario (test/fakeHost/scenarios/<name>.json) the way test/fakeHost/ScenarioFile.ps1 does:
// "extends" names bases relative to the file's folder (without ".json"); objects merge key by key, anything else
// replaces. The UI tests use its "expect" block: { "<check id>": { "status": "fail", "failureIds": [...] } }.
const fs = require('fs');
const path = require('path');
const P = require('./paths');

const isObj = (v) => v && typeof v === 'object' && !Array.isArray(v);
function merge(base, overlay) {
	if (isObj(base) && isObj(overlay)) {
		const out = { ...base };
		// "$delete" removes an inherited key, as test/fakeHost/ScenarioFile.ps1 does.
		for (const [k, v] of Object.entries(overlay)) {
			if (v === '$delete') delete out[k];
			else out[k] = k in out ? merge(out[k], v) : v;
		}
		return out;
	}
	return overlay;
}

function scenarioPath(nameOrPath) {
	return /[\\/]|\.json$/.test(nameOrPath) ? path.resolve(nameOrPath) : path.join(P.scenarios, `${nameOrPath}.json`);
}

function readScenario(nameOrPath) {
	const file = scenarioPath(nameOrPath);
	const data = JSON.parse(fs.readFileSync(file, 'utf8'));
	if (!data.extends) return data;
	let merged = {};
	for (const name of [].concat(data.extends)) merged = merge(merged, readScenario(path.join(path.dirname(file), `${name}.json`)));
	const own = { ...data };
	delete own.extends;
	return merge(merged, own);
}

/** Status values of the result file → the status labels the tree shows. */
const STATUS_LABEL = {
	pass: 'Passed', fail: 'Failed', warning: 'Warning', unknown: 'Could not check', manual: 'Manual', notApplicable: 'Not applicable',
};

module.exports = { readScenario, scenarioPath, STATUS_LABEL };
