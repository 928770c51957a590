package db

// Exported for tests only.
var (
	ParseStoredTime  = parseTime
	FormatStoredTime = formatTime
)

// Migrations are the schema's steps, for a test that stages an older database.
var Migrations = migrations

// SetSMSPruneBatch makes PruneSMS delete in batches of n until the test ends.
func SetSMSPruneBatch(t interface{ Cleanup(func()) }, n int) {
	was := smsPruneBatch
	smsPruneBatch = n
	t.Cleanup(func() { smsPruneBatch = was })
}
