package main

import (
	"net/http"
	"slices"
	"testing"
)

// One Go test per Java test class; one subtest per Java test method, with
// every assertion of the method.

var voyageArgs = map[string]any{
	"shipImo": "IMO-9321483", "departurePort": "Oslo", "arrivalPort": "Singapore",
	"departureDate": "2026-04-10", "arrivalDate": "2026-05-02",
	"crewIds": []any{"CREW-001", "CREW-003"}, "cargoIds": []any{"CARGO-2024-0451"},
}

const voyagePayload = `{"shipImo": "IMO-9321483", "departurePort": "Oslo", "arrivalPort": "Singapore",
 "departureDate": "2026-04-10", "arrivalDate": "2026-05-02",
 "crewIds": ["CREW-001", "CREW-003"], "cargoIds": ["CARGO-2024-0451"]}`

// checkVoyage: the assertions on the mapped voyage of steps 6, 8 and 10.
func checkVoyage(t *testing.T, voyage any) {
	t.Helper()
	check(t, isObject(voyage), "create-voyage must return a JSON object: %v", voyage)
	check(t, !blank(path(voyage, "voyageId")), "voyageId must not be blank")
	checkEq(t, text(path(voyage, "shipImo")), "IMO-9321483", "shipImo must match request")
	check(t, isObject(path(voyage, "route")), "route must be an object")
	checkEq(t, text(path(voyage, "route", "from")), "Oslo", "route.from must map from departurePort")
	checkEq(t, text(path(voyage, "route", "to")), "Singapore", "route.to must map from arrivalPort")
	check(t, isObject(path(voyage, "dates")), "dates must be an object")
	checkEq(t, text(path(voyage, "dates", "departure")), "2026-04-10", "dates.departure must map")
	checkEq(t, text(path(voyage, "dates", "arrival")), "2026-05-02", "dates.arrival must map")
	check(t, isArray(path(voyage, "crewIds")), "crewIds must be an array")
	check(t, len(asList(path(voyage, "crewIds"))) > 0, "crewIds must not be empty")
	check(t, isArray(path(voyage, "cargoIds")), "cargoIds must be an array")
	check(t, !blank(path(voyage, "status")), "status must not be blank")
}

// checkCreateVoyageSchema: create-voyage's input schema (steps 6 and 8).
func checkCreateVoyageSchema(t *testing.T, tool map[string]any) {
	t.Helper()
	for _, f := range []string{"shipImo", "departurePort", "arrivalPort", "departureDate", "arrivalDate"} {
		check(t, has(path(tool, "inputSchema", "properties"), f), "create-voyage inputSchema must declare %q", f)
	}
	checkInput(t, tool, "crewIds", "array", true)
	checkInput(t, tool, "cargoIds", "array", false)
	req := required(tool)
	for _, f := range []string{"shipImo", "departurePort", "arrivalPort", "departureDate", "arrivalDate"} {
		check(t, slices.Contains(req, f), "%q must appear in required %v", f, req)
	}
}

// checkSpecs: the nested specs object of steps 4 and 5.
func checkSpecs(t *testing.T, ship any) {
	t.Helper()
	check(t, isObject(ship), "get-ship must return a JSON object")
	checkEq(t, text(path(ship, "imo")), "IMO-9321483", "returned imo must match the requested IMO number")
	for _, f := range []string{"name", "type", "flag", "status"} {
		check(t, !blank(path(ship, f)), "%s must not be blank", f)
	}
	check(t, has(ship, "specs"), "get-ship must include the nested 'specs' object")
	specs := path(ship, "specs")
	check(t, isObject(specs), "'specs' must be a JSON object")
	for _, f := range []string{"yearBuilt", "tonnage", "length"} {
		check(t, has(specs, f), "specs must have %q", f)
		check(t, isNumber(path(specs, f)), "%q must be a number: %v", f, path(specs, f))
	}
}

// shipSchemas: the list-ships and get-ship input schema tests of steps 2
// to 5.
func shipSchemas(t *testing.T, tu *tutorial) {
	t.Run("listShipsInputSchemaShouldDeclareOptionalStatusParameter", func(t *testing.T) {
		checkInput(t, tu.toolsList(t)[0], "status", "string", false)
	})
	t.Run("getShipInputSchemaShouldDeclareRequiredImoParameter", func(t *testing.T) {
		checkInput(t, tu.toolsList(t)[1], "imo", "string", true)
	})
}

// flatShipsAndSpecs: the list-ships and get-ship tests of steps 4 and 5.
func flatShipsAndSpecs(t *testing.T, tu *tutorial) {
	t.Run("listShipsShouldReturnMappedFlatFields", func(t *testing.T) {
		ships := tu.callTool(t, "list-ships", map[string]any{}, true)
		check(t, isArray(ships) && len(asList(ships)) > 0, "list-ships must return a non-empty array")
		checkShipSummary(t, path(ships, 0))
	})
	t.Run("getShipShouldReturnFlatFieldsAndNestedSpecsObject", func(t *testing.T) {
		checkSpecs(t, tu.callTool(t, "get-ship", map[string]any{"imo": "IMO-9321483"}, true))
	})
}

// createVoyageTests: the create-voyage tests of steps 6 and 8.
func createVoyageTests(t *testing.T, tu *tutorial) {
	t.Run("createVoyageInputSchemaShouldDeclareRequiredFields", func(t *testing.T) {
		checkCreateVoyageSchema(t, tu.toolsList(t)[3])
	})
	t.Run("createVoyageShouldReturnMappedVoyageObject", func(t *testing.T) {
		checkVoyage(t, tu.callTool(t, "create-voyage", voyageArgs, true))
	})
}

// skillTests: the skill catalog tests of steps 8 and 10. GET /skills
// lists the fleet-ops and voyage-ops groups; GET /skills/fleet-ops has 4
// derived tools invoked over MCP on shipyard-tools.
func skillTests(t *testing.T, tu *tutorial) {
	t.Run("skillCatalogShouldExposeFleetAndVoyageGroups", func(t *testing.T) {
		status, catalog := httpJSON(t, http.MethodGet, tu.url(t, "shipyard-skills")+"/skills", "")
		checkEq(t, status, 200, "GET /skills must succeed")
		checkEq(t, text(path(catalog, "count")), "2", "the skill expose must declare 2 skill groups")
		var names []string
		for _, s := range asList(path(catalog, "skills")) {
			names = append(names, text(path(s, "name")))
		}
		check(t, slices.Contains(names, "fleet-ops"), "catalog must include fleet-ops: %v", names)
		check(t, slices.Contains(names, "voyage-ops"), "catalog must include voyage-ops: %v", names)
	})
	t.Run("fleetOpsSkillDetailShouldExposeDerivedMcpInvocationRefs", func(t *testing.T) {
		for _, tool := range skillTools(t, tu, "fleet-ops", 4) {
			checkEq(t, text(path(tool, "type")), "derived", "fleet-ops tools should be derived")
			checkEq(t, text(path(tool, "invocationRef", "targetNamespace")), "shipyard-tools", "invocationRef.targetNamespace")
			checkEq(t, text(path(tool, "invocationRef", "mode")), "mcp", "invocationRef.mode")
			check(t, !blank(path(tool, "invocationRef", "action")), "invocation action must be present")
		}
	})
}

// skillTools gets GET /skills/NAME of shipyard-skills, checks its name and
// that it lists n tools, and returns them.
func skillTools(t *testing.T, tu *tutorial, name string, n int) []any {
	t.Helper()
	status, detail := httpJSON(t, http.MethodGet, tu.url(t, "shipyard-skills")+"/skills/"+name, "")
	checkEq(t, status, 200, "GET /skills/"+name+" must succeed")
	checkEq(t, text(path(detail, "name")), name, "name")
	tools := path(detail, "tools")
	check(t, isArray(tools), "%s detail must contain a tools array", name)
	checkEq(t, len(asList(tools)), n, name+" tools")
	return asList(tools)
}

func TestTutorialStep1(t *testing.T) {
	tu := startTutorial(t, 1)
	t.Run("serverDiscoverShouldAdvertiseSupportedProtocolVersionAndCapabilities", func(t *testing.T) {
		status, resp := rawRPC(t, tu.url(t, tu.mcpNS)+"/mcp", "server/discover", `{}`, "")
		checkEq(t, status, 200, "server/discover status")
		versions := path(resp, "result", "supportedVersions")
		check(t, isArray(versions) && len(asList(versions)) > 0, "server must advertise its supported protocol versions: %v", resp)
		check(t, path(resp, "result", "capabilities", "tools") != nil, "capabilities must advertise tools: %v", resp)
	})
	t.Run("toolsListShouldAdvertiseGetShipTool", func(t *testing.T) {
		tools := tu.toolsList(t)
		wantTools(t, tools, "get-ship")
		checkEq(t, text(tools[0]["description"]), "Retrieve a ship's details by IMO number", "tool description must match the YAML")
	})
	t.Run("getShipToolCallShouldReturnMappedShipObject", func(t *testing.T) {
		ship := tu.callTool(t, "get-ship", map[string]any{"imo_number": "IMO-9321483"}, true)
		check(t, isObject(ship), "parsed content must be a JSON object")
		checkEq(t, text(path(ship, "imo")), "IMO-9321483", "imo")
		checkEq(t, text(path(ship, "name")), "Northern Star", "name")
		checkEq(t, text(path(ship, "type")), "cargo", "type")
		checkEq(t, text(path(ship, "flag")), "NO", "flag")
		checkEq(t, text(path(ship, "status")), "active", "status")
	})
}

// stepsListAndGet: the tools/list, input schema, list-ships and get-ship
// tests of steps 2 and 3.
func stepsListAndGet(t *testing.T, tu *tutorial, listName, getName string) {
	t.Run("toolsListShouldAdvertiseBothTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship")
	})
	shipSchemas(t, tu)
	t.Run(listName, func(t *testing.T) {
		ships := tu.callTool(t, "list-ships", map[string]any{}, true)
		check(t, isArray(ships), "list-ships must return an array")
		check(t, len(asList(ships)) > 0, "ship list must not be empty")
		checkShipSummary(t, path(ships, 0))
	})
	t.Run(getName, func(t *testing.T) {
		ship := tu.callTool(t, "get-ship", map[string]any{"imo": "IMO-9321483"}, true)
		check(t, isObject(ship), "get-ship must return a JSON object")
		for _, f := range []string{"imo", "name", "type", "flag", "status"} {
			check(t, has(ship, f), "must have %q", f)
		}
		checkEq(t, text(path(ship, "imo")), "IMO-9321483", "returned imo must match the requested IMO number")
	})
}

func TestTutorialStep2(t *testing.T) {
	tu := startTutorial(t, 2)
	stepsListAndGet(t, tu, "listShipsWithoutFilterShouldReturnMappedShipArray", "getShipShouldResolveMustacheWithAndReturnSingleShip")
	t.Run("listShipsFilteredByStatusShouldReturnOnlyMatchingShips", func(t *testing.T) {
		ships := tu.callTool(t, "list-ships", map[string]any{"status": "active"}, true)
		check(t, isArray(ships), "list-ships must return an array")
		check(t, len(asList(ships)) > 0, "filtered list must not be empty")
		for _, s := range asList(ships) {
			checkEq(t, text(path(s, "status")), "active", "every ship of an active-filtered response")
		}
	})
}

func TestTutorialStep3(t *testing.T) {
	tu := startTutorial(t, 3)
	stepsListAndGet(t, tu, "listShipsWithBearerAuthShouldReturnMappedShipArray", "getShipWithBearerAuthShouldResolveMustacheAndReturnSingleShip")
	// The registry receives the bearer token and version header the
	// capability binds from shared/secrets.yaml.
	t.Run("upstreamReceivesBoundBearerAndVersion", func(t *testing.T) {
		tu.callTool(t, "list-ships", map[string]any{}, true)
		reqs := tu.backend.Requests()
		last := reqs[len(reqs)-1]
		checkEq(t, last.Header.Get("Authorization"), "Bearer dummy-token", "upstream Authorization")
		checkEq(t, last.Header.Get("Registry-Version"), "1.0.0-alpha2", "upstream Registry-Version")
	})
	t.Run("serverDiscoverShouldSucceedWithBindsAndAuth", func(t *testing.T) {
		status, _ := rawRPC(t, tu.url(t, tu.mcpNS)+"/mcp", "server/discover", `{}`, mcpToken)
		checkEq(t, status, 200, "server/discover status")
	})
	t.Run("bearerAuthFromFileBindingShouldAcceptCorrectTokenAndRejectWrong", func(t *testing.T) {
		u := tu.url(t, tu.mcpNS) + "/mcp"
		for _, c := range []struct {
			token string
			want  int
		}{{mcpToken, http.StatusOK}, {"wrong-token", http.StatusUnauthorized}, {"", http.StatusUnauthorized}} {
			status, _ := rawRPC(t, u, "server/discover", `{}`, c.token)
			checkEq(t, status, c.want, "server/discover status with token "+c.token)
		}
	})
}

func TestTutorialStep4(t *testing.T) {
	tu := startTutorial(t, 4)
	t.Run("toolsListShouldAdvertiseBothTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship")
	})
	shipSchemas(t, tu)
	flatShipsAndSpecs(t, tu)
}

func TestTutorialStep5(t *testing.T) {
	tu := startTutorial(t, 5)
	t.Run("toolsListShouldAdvertiseThreeTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship", "list-legacy-vessels")
	})
	shipSchemas(t, tu)
	t.Run("listLegacyVesselsInputSchemaShouldDeclareOptionalStatusParameter", func(t *testing.T) {
		checkInput(t, tu.toolsList(t)[2], "status", "string", false)
	})
	flatShipsAndSpecs(t, tu)
	t.Run("listLegacyVesselsShouldReturnMappedVesselArray", func(t *testing.T) {
		vessels := tu.callTool(t, "list-legacy-vessels", map[string]any{}, true)
		check(t, isArray(vessels) && len(asList(vessels)) > 0, "list-legacy-vessels must return a non-empty array: %v", vessels)
		first := path(vessels, 0)
		for _, f := range []string{"vesselCode", "name", "type", "flag", "status"} {
			check(t, has(first, f), "must have %q: %v", f, first)
		}
		check(t, !blank(path(first, "vesselCode")), "vesselCode must not be blank")
		check(t, !blank(path(first, "name")), "name must not be blank")
	})
}

func TestTutorialStep6(t *testing.T) {
	tu := startTutorial(t, 6)
	t.Run("toolsListShouldAdvertiseFourTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship", "list-legacy-vessels", "create-voyage", "refresh-crew")
	})
	createVoyageTests(t, tu)
	t.Run("refreshCrewShouldReturnEmptyResult", func(t *testing.T) {
		tu.callTool(t, "refresh-crew", map[string]any{"imo_number": "IMO-9876543"}, false)
	})
}

// checkShipWithCrew: get-ship-with-crew's orchestrated result (steps 7
// and 11).
func checkShipWithCrew(t *testing.T, result any) {
	t.Helper()
	check(t, isObject(result), "get-ship-with-crew must return a mapped object, not a raw array: %v", result)
	for _, f := range []string{"imo", "name", "status"} {
		check(t, has(result, f), "mapped output must have %q", f)
	}
	check(t, !blank(path(result, "imo")), "imo must not be blank")
	check(t, !blank(path(result, "name")), "name must not be blank")
	check(t, has(result, "crew"), "mapped output must have crew")
	crew := path(result, "crew")
	check(t, isArray(crew), "crew must be an array")
	check(t, len(asList(crew)) > 0, "crew must not be empty")
	first := path(crew, 0)
	check(t, has(first, "fullName"), "crew entries must have fullName")
	check(t, has(first, "role"), "crew entries must have role")
	check(t, !blank(path(first, "fullName")), "fullName must not be blank")
}

func TestTutorialStep7(t *testing.T) {
	tu := startTutorial(t, 7)
	t.Run("toolsListShouldAdvertiseFiveTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship", "list-legacy-vessels", "create-voyage", "get-ship-with-crew")
	})
	t.Run("getShipWithCrewInputSchemaShouldDeclareRequiredImoParameter", func(t *testing.T) {
		checkInput(t, tu.toolsList(t)[4], "imo", "string", true)
	})
	t.Run("getShipWithCrewShouldReturnMappedShipAndCrewObject", func(t *testing.T) {
		r := tu.callTool(t, "get-ship-with-crew", map[string]any{"imo": "IMO-9321483"}, true)
		checkShipWithCrew(t, r)
		// Beyond the Java test: the lookup resolves CREW-001 and CREW-003.
		checkEq(t, mustJSON(path(r, "crew")),
			`[{"fullName":"Erik Lindström","role":"captain"},{"fullName":"Aiko Tanaka","role":"cook"}]`, "crew")
	})
}

func TestTutorialStep8(t *testing.T) {
	tu := startTutorial(t, 8)
	t.Run("toolsListShouldAdvertiseFiveTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship", "list-legacy-vessels", "create-voyage", "get-ship-with-crew")
	})
	createVoyageTests(t, tu)
	skillTests(t, tu)
}

func TestTutorialStep10(t *testing.T) {
	tu := startTutorial(t, 10)
	t.Run("restListShipsShouldReturnShipsArray", func(t *testing.T) {
		status, ships := httpJSON(t, http.MethodGet, tu.url(t, "shipyard-api")+"/ships", "")
		checkEq(t, status, 200, "GET /ships must succeed")
		check(t, isArray(ships), "GET /ships must return an array: %v", ships)
		check(t, len(asList(ships)) > 0, "ships array must not be empty")
		first := path(ships, 0)
		for _, f := range []string{"imo", "name", "type", "flag", "status"} {
			check(t, has(first, f), "ship must have %q field", f)
		}
	})
	t.Run("restCreateVoyageShouldReturnMappedVoyageObject", func(t *testing.T) {
		status, voyage := httpJSON(t, http.MethodPost, tu.url(t, "shipyard-api")+"/voyages", voyagePayload)
		checkEq(t, status, 201, "POST /voyages must return 201 Created")
		checkVoyage(t, voyage)
	})
	skillTests(t, tu)
}

func TestTutorialStep11(t *testing.T) {
	tu := startTutorial(t, 11)
	t.Run("toolsListShouldAdvertiseSixTools", func(t *testing.T) {
		wantTools(t, tu.toolsList(t), "list-ships", "get-ship", "list-legacy-vessels", "create-voyage",
			"get-ship-with-crew", "get-voyage-manifest")
	})
	t.Run("getShipWithCrewInputSchemaShouldDeclareImoParameter", func(t *testing.T) {
		checkInput(t, tu.toolsList(t)[4], "imo", "string", true)
	})
	t.Run("getVoyageManifestInputSchemaShouldDeclareVoyageIdParameter", func(t *testing.T) {
		checkInput(t, tu.toolsList(t)[5], "voyageId", "string", true)
	})
	t.Run("skillVoyageOpsShouldIncludeVoyageManifestTool", func(t *testing.T) {
		var names []string
		for _, tool := range skillTools(t, tu, "voyage-ops", 2) {
			names = append(names, text(path(tool, "name")))
		}
		check(t, slices.Contains(names, "create-voyage"), "voyage-ops must include create-voyage")
		check(t, slices.Contains(names, "get-voyage-manifest"), "voyage-ops must include get-voyage-manifest")
	})
}
