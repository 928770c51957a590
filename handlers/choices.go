package handlers

import (
	"fmt"
	"time"
)

// countries are the countries a client company can be registered in (ISO 3166-1 alpha-2).
var countries = []string{"RU", "BY", "KZ", "UZ", "KG", "AM", "AZ", "GE", "TJ", "MD"}

// timezoneNames are the time zones offered for a company: Russia's from west
// to east, then the neighbours'.
var timezoneNames = []string{
	"Europe/Kaliningrad", "Europe/Moscow", "Europe/Samara", "Asia/Yekaterinburg", "Asia/Omsk",
	"Asia/Novosibirsk", "Asia/Krasnoyarsk", "Asia/Irkutsk", "Asia/Yakutsk", "Asia/Vladivostok",
	"Asia/Magadan", "Asia/Kamchatka", "Europe/Minsk", "Asia/Almaty", "Asia/Tashkent", "Asia/Bishkek",
	"Asia/Yerevan", "Asia/Baku", "Asia/Tbilisi", "Asia/Dushanbe", "Europe/Chisinau",
}

// Timezone is a time zone as a form offers it.
type Timezone struct {
	Name   string
	Offset string // UTC+3
}

// timezones lists the offered zones with their current offsets.
func timezones(now time.Time) []Timezone {
	out := make([]Timezone, 0, len(timezoneNames))
	for _, name := range timezoneNames {
		loc, err := time.LoadLocation(name)
		if err != nil {
			continue
		}
		_, off := now.In(loc).Zone()
		tz := Timezone{Name: name, Offset: fmt.Sprintf("UTC%+d", off/3600)}
		if off%3600 != 0 {
			tz.Offset += fmt.Sprintf(":%02d", off%3600/60)
		}
		out = append(out, tz)
	}
	return out
}
