package main

import (
	"encoding/json"
	"net/http"
	"testing"
)

// Beyond the reference's Java tests: the tutorial steps they leave out
// (step 9, the aggregates) and the exact results of the orchestrations.

const shipWithCrew = `{"imo":"IMO-9321483","name":"Northern Star","type":"cargo","flag":"NO","status":"active",` +
	`"yearBuilt":2015,"tonnage":42000,"length":229,` +
	`"crew":[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}]}`

func TestTutorialStep9Aggregates(t *testing.T) {
	tu := startTutorial(t, 9)
	tools := tu.toolsList(t)
	wantTools(t, tools, "list-ships", "get-ship", "list-legacy-vessels", "create-voyage", "get-ship-with-crew")
	// ref: crew-resolver.resolve-crew-for-ship, semantics {safe, idempotent,
	// cacheable}: readOnly, not destructive, idempotent; inputs inherited.
	checkEq(t, mustJSON(tools[4]["annotations"]), `{"destructiveHint":false,"idempotentHint":true,"readOnlyHint":true}`, "derived hints")
	checkInput(t, tools[4], "imo", "string", true)
	checkEq(t, mustJSON(tu.callTool(t, "get-ship-with-crew", map[string]any{"imo": "IMO-9321483"}, true)), sortedJSON(t, shipWithCrew), "get-ship-with-crew")
	checkEq(t, mustJSON(tu.callTool(t, "list-ships", map[string]any{"status": "maintenance"}, true)),
		`[{"flag":"SG","imo":"IMO-9456781","name":"Pacific Dawn","status":"maintenance","type":"tanker"}]`, "list-ships status=maintenance")
}

func TestTutorialStep10RestRoutes(t *testing.T) {
	tu := startTutorial(t, 10)
	base := tu.url(t, "shipyard-api")
	// The REST operation reuses the aggregate function by ref.
	status, v := httpJSON(t, http.MethodGet, base+"/ships/IMO-9321483/crew", "")
	checkEq(t, status, 200, "GET /ships/{imo}/crew")
	checkEq(t, mustJSON(v), sortedJSON(t, shipWithCrew), "GET /ships/{imo}/crew")
	status, v = httpJSON(t, http.MethodGet, base+"/ships/IMO-9456781", "")
	checkEq(t, status, 200, "GET /ships/{imo}")
	checkEq(t, mustJSON(v), `{"flag":"SG","imo":"IMO-9456781","name":"Pacific Dawn","specs":{"length":274,"tonnage":55000,"yearBuilt":2018},"status":"maintenance","type":"tanker"}`, "GET /ships/{imo}")
	status, v = httpJSON(t, http.MethodGet, base+"/legacy/vessels?status=laid_up", "")
	checkEq(t, status, 200, "GET /legacy/vessels")
	checkEq(t, mustJSON(v), `[{"flag":"PA","name":"Iron Maiden","status":"laid_up","type":"bulk_carrier","vesselCode":"LEGACY-2087"}]`, "GET /legacy/vessels?status=laid_up")
	// The legacy dockyard got its API key header.
	reqs := tu.backend.Requests()
	checkEq(t, reqs[len(reqs)-1].Header.Get("X-Dock-Key"), "dummy-dockyard-key", "X-Dock-Key")
}

func TestTutorialStep11FleetManifest(t *testing.T) {
	tu := startTutorial(t, 11)
	// The consumed list-ships declares `imo-number: $.imo_number`; the
	// exposed side shapes the decoded response, as in the reference.
	status, v := httpJSON(t, http.MethodGet, tu.url(t, "shipyard-api")+"/ships?status=active", "")
	checkEq(t, status, 200, "GET /ships")
	checkEq(t, mustJSON(v), `[{"flag":"NO","imo":"IMO-9321483","name":"Northern Star","status":"active","type":"cargo"}]`, "GET /ships")
	m := tu.callTool(t, "get-voyage-manifest", map[string]any{"voyageId": "VOY-2026-042"}, true)
	// resolve-ship matches `imo-number`, a field the registry's ships do
	// not have: the ship is null, as the reference engine leaves it.
	checkEq(t, mustJSON(m), sortedJSON(t, `{"voyageId":"VOY-2026-042","status":"planned","route":{"from":"Oslo","to":"Singapore"},`+
		`"ship":{"flag":null,"name":null,"type":null},`+
		`"crew":[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}],`+
		`"cargo":[{"description":"Electronics components","hazardous":false,"type":"container","weight":12.5}]}`), "get-voyage-manifest")
	checkShipWithCrew(t, tu.callTool(t, "get-ship-with-crew", map[string]any{"imo": "IMO-9321483"}, true))
}

// sortedJSON re-encodes a JSON text with sorted keys, as mustJSON of a
// decoded value prints it.
func sortedJSON(t *testing.T, s string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%v: %s", err, s)
	}
	return mustJSON(v)
}
