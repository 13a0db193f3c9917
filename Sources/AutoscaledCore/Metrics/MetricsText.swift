import AutoscaledBase


/// Renders a ``MetricsSample`` in the Prometheus text exposition format (0.0.4), as node_exporter's
/// textfile collector reads it: `# HELP` and `# TYPE` before each family, label values escaped.
///
/// `autoscaled_server_load` is capped at `maxSeries` series: the busiest servers are kept (the
/// first listed on a tie) and `autoscaled_server_load_series_dropped` says how many were left out,
/// so a fleet of 100 000 servers cannot flood the time-series database.
public enum MetricsText {
    public static func render(_ sample: MetricsSample, maxSeries: Int) -> String {
        var text = ""
        family(&text, "autoscaled_desired_replicas", "gauge", "Replica count the policy wants.")
        text += "autoscaled_desired_replicas \(sample.desiredReplicas)\n"
        if let wanted = sample.wantedReplicas {
            family(&text, "autoscaled_wanted_replicas", "gauge",
                   "Replica count the policy would go to; differs from desired while a rule holds the count.")
            text += "autoscaled_wanted_replicas \(wanted)\n"
        }
        family(&text, "autoscaled_limited", "gauge",
               "1 while a rule (held_by: a cooldown, a window, a bound, a step, no data, a pause) holds the count.")
        if let heldBy = sample.heldBy {
            text += "autoscaled_limited{held_by=\"\(labelValue(heldBy))\"} 1\n"
        } else {
            text += "autoscaled_limited{held_by=\"\"} 0\n"
        }
        family(&text, "autoscaled_paused", "gauge", "1 while an operator paused the autoscaling (autoscaled pause).")
        text += "autoscaled_paused \(sample.paused ? 1 : 0)\n"
        family(&text, "autoscaled_config_last_reload_successful", "gauge",
               "0 while the last reload asked for failed (the running config is older than the file), else 1.")
        text += "autoscaled_config_last_reload_successful \(sample.lastReloadSuccessful ? 1 : 0)\n"
        if let applied = sample.appliedReplicas {
            family(&text, "autoscaled_applied_replicas", "gauge", "Replica count last confirmed applied.")
            text += "autoscaled_applied_replicas \(applied)\n"
        }
        if let failures = sample.actuationFailures {
            family(&text, "autoscaled_actuation_failures", "gauge",
                   "Failed actuation attempts in a row; 0 once one confirms a count.")
            text += "autoscaled_actuation_failures \(failures)\n"
        }
        if let serversToScale = sample.serversToScale {
            family(&text, "autoscaled_servers_to_scale", "gauge",
                   "Servers whose load was strictly above scale_up_threshold at the last evaluation.")
            text += "autoscaled_servers_to_scale \(serversToScale)\n"
        }
        let kept = BusiestServers.indices(of: sample.servers, keeping: maxSeries)
        if !kept.isEmpty {
            family(&text, "autoscaled_server_load", "gauge",
                   "Load of each server at the last evaluation (the busiest max_series servers).")
            for index in kept {
                let server = sample.servers[index]
                text += "autoscaled_server_load{server=\"\(labelValue(server.name))\"} \(DecimalText.format(server.load))\n"
            }
        }
        family(&text, "autoscaled_server_load_series_dropped", "gauge",
               "Servers left out of autoscaled_server_load by max_series at the last evaluation.")
        text += "autoscaled_server_load_series_dropped \(sample.servers.count - kept.count)\n"
        family(&text, "autoscaled_scale_events_total", "counter", "Changes of the desired count since the daemon started.")
        text += "autoscaled_scale_events_total{direction=\"up\"} \(sample.scaleUps)\n"
        text += "autoscaled_scale_events_total{direction=\"down\"} \(sample.scaleDowns)\n"
        family(&text, "autoscaled_source_errors_total", "counter",
               "Failed, rejected or stale reads of the load source since the daemon started.")
        text += "autoscaled_source_errors_total \(sample.sourceErrors)\n"
        family(&text, "autoscaled_log_lines_dropped_total", "counter",
               "Log lines dropped because stderr could not take them without blocking, since the daemon started.")
        text += "autoscaled_log_lines_dropped_total \(sample.logLinesDropped)\n"
        family(&text, "autoscaled_last_evaluation_timestamp_seconds", "gauge", "Unix time of the last evaluation.")
        text += "autoscaled_last_evaluation_timestamp_seconds \(timestamp(sample.evaluatedAt))\n"
        return text
    }

    /// A label value with `\`, `"` and newlines escaped, as the exposition format requires.
    public static func labelValue(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func family(_ text: inout String, _ name: String, _ type: String, _ help: String) {
        text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
    }

    /// Milliseconds precision: `1795932723.037`.
    private static func timestamp(_ seconds: Double) -> String {
        DecimalText.format(seconds, .fixed(3))
    }
}
