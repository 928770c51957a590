package handlers

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"elk/db"
)

// openAPIBounds are the keywords of openapi.json that bound a value.
var openAPIBounds = []string{"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties", "minimum", "maximum"}

// The OpenAPI description lists exactly the limits the handlers enforce:
// each bound it gives is the Go constant, each constant is given, and no
// field of a request is left without a bound.
func TestOpenAPIListsTheLimits(t *testing.T) {
	t.Parallel()
	const (
		sms     = "/components/schemas/SMSBatch/properties/messages"
		message = sms + "/items/properties/"
		updates = "/components/schemas/StatusBatch/properties/updates"
		update  = updates + "/items/properties/"
		beat    = "/components/schemas/Heartbeat/properties/"
		license = beat + "license/properties/"
	)
	want := map[string]int{
		sms + "/minItems": 1, sms + "/maxItems": maxAPIBatch,
		message + "id/minLength": 1, message + "id/maxLength": maxSenderID,
		message + "phone/maxLength": maxPhoneText,
		message + "parts/minimum":   minParts, message + "parts/maximum": maxParts,
		message + "sent_at/maxLength": maxTimeText,
		updates + "/minItems":         1, updates + "/maxItems": maxAPIBatch,
		update + "id/minLength": 1, update + "id/maxLength": maxSenderID,
		update + "at/maxLength": maxTimeText,
		"/paths/~1heartbeat~1{secret}/post/parameters/0/schema/minLength": 1,
		"/paths/~1heartbeat~1{secret}/post/parameters/0/schema/maxLength": maxPushSecret,
		beat + "monitor/maxLength":                                        maxMonitorName,
		beat + "version/maxLength":                                        maxVersion,
		license + "key/minLength":                                         1, license + "key/maxLength": maxLicenseKey,
		license + "product/minLength": 1, license + "product/maxLength": maxProduct,
		license + "issued/maxLength": maxDateText, license + "expires/maxLength": maxDateText,
		license + "limits/maxProperties":           maxLicenseLimits,
		license + "limits/propertyNames/minLength": 1, license + "limits/propertyNames/maxLength": maxLimitName,
		license + "limits/additionalProperties/minimum": db.Unlimited, license + "limits/additionalProperties/maximum": maxLimitValue,
		license + "modules/maxItems":        maxModules,
		license + "modules/items/minLength": 1, license + "modules/items/maxLength": maxModuleName,
	}
	var spec map[string]any
	if err := json.Unmarshal(openAPI, &spec); err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	var walk func(at string, v any)
	walk = func(at string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for key, child := range v {
				if n, ok := child.(float64); ok && slices.Contains(openAPIBounds, key) {
					got[at+"/"+key] = int(n)
				}
				walk(at+"/"+strings.ReplaceAll(key, "/", "~1"), child)
			}
		case []any:
			for i, child := range v {
				walk(at+"/"+strconv.Itoa(i), child)
			}
		}
	}
	walk("", spec)
	for at, n := range want {
		if listed, ok := got[at]; !ok || listed != n {
			t.Errorf("%s: openapi.json says %d (listed: %t), the handlers %d", at, listed, ok, n)
		}
	}
	for at, n := range got {
		if _, ok := want[at]; !ok {
			t.Errorf("%s = %d in openapi.json is not a limit the handlers know", at, n)
		}
	}

	// Every field of every request is bounded.
	schemas := spec["components"].(map[string]any)["schemas"].(map[string]any)
	for _, name := range []string{"SMSBatch", "StatusBatch", "Heartbeat"} {
		checkBounded(t, name, schemas[name].(map[string]any), schemas)
	}
	heartbeat := spec["paths"].(map[string]any)["/heartbeat"].(map[string]any)["post"].(map[string]any)
	if s := fmt.Sprintf("at most %d different license keys", db.LicenseKeysPerDay); !strings.Contains(heartbeat["description"].(string), s) {
		t.Errorf("the heartbeat's description does not say %q", s)
	}
}

// checkBounded fails for a string without a length or a choice, an array
// without a count, an integer without a range, or a map without a count
// and bounded names.
func checkBounded(t *testing.T, at string, schema, schemas map[string]any) {
	t.Helper()
	if ref, ok := schema["$ref"].(string); ok {
		schema = schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
	has := func(key string) bool { _, ok := schema[key]; return ok }
	switch schema["type"] {
	case "string":
		if !has("maxLength") && !has("enum") {
			t.Errorf("%s: a string without maxLength", at)
		}
	case "integer":
		if !has("minimum") || !has("maximum") {
			t.Errorf("%s: an integer without minimum and maximum", at)
		}
	case "array":
		if !has("maxItems") {
			t.Errorf("%s: an array without maxItems", at)
		}
		checkBounded(t, at+"[]", schema["items"].(map[string]any), schemas)
	case "object":
		properties, _ := schema["properties"].(map[string]any)
		for name, field := range properties {
			checkBounded(t, at+"."+name, field.(map[string]any), schemas)
		}
		if values, ok := schema["additionalProperties"].(map[string]any); ok {
			if !has("maxProperties") || !has("propertyNames") {
				t.Errorf("%s: a map without maxProperties and propertyNames", at)
			}
			checkBounded(t, at+".*", values, schemas)
		}
	default:
		t.Errorf("%s: a field of type %v", at, schema["type"])
	}
}

// The largest batch the limits allow, every character sent as a \u escape
// as a careless client may, still fits the server's body limit: a request
// within the described limits is never refused for its size.
func TestTheLargestAPIBatchFitsTheBodyLimit(t *testing.T) {
	t.Parallel()
	escaped := func(n int) string { return `"` + strings.Repeat(`\u0061`, n) + `"` }
	item := fmt.Sprintf(`{"id":%s,"phone":%s,"parts":%d,"sent_at":%s,"status":%s}`,
		escaped(maxSenderID), escaped(maxPhoneText), maxParts, escaped(maxTimeText), escaped(len(db.SMSDelivered)))
	body := `{"messages":[` + strings.Repeat(item+",", maxAPIBatch-1) + item + `]}`

	store, err := db.Open(t.Context(), filepath.Join(t.TempDir(), "elk.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	app, err := New(t.Context(), store, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if limit := app.Config().BodyLimit; len(body) > limit {
		t.Errorf("the largest batch is %d bytes, over the body limit of %d", len(body), limit)
	}
}
