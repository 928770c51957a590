package jobs

import "github.com/VictoriaMetrics/metrics"

// The jobs' metrics, served with the rest at /metrics.
var (
	monitorChecksUp   = metrics.NewCounter(`elk_monitor_checks_total{result="up"}`)
	monitorChecksDown = metrics.NewCounter(`elk_monitor_checks_total{result="down"}`)
	// monitorLateness is how long after its planned time a check started.
	monitorLateness = metrics.NewPrometheusHistogramExt(`elk_monitor_check_lateness_seconds`,
		[]float64{0.001, 0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10})
)
