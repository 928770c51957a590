package db

// Exported for tests only.
var (
	ParseStoredTime  = parseTime
	FormatStoredTime = formatTime
)
