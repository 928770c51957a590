package db

// Exported for tests only.
var (
	ParseStoredTime  = parseTime
	FormatStoredTime = formatTime
)

// Migrations are the schema's steps, for a test that stages an older database.
var Migrations = migrations
