import Glibc
import Testing

@Suite("a real Prometheus exporter (Python's prometheus_client) read over http", ExternalPeers.needs(.prometheusClient))
struct PrometheusExporterTests {
    /// Serves one gauge on 127.0.0.1 at a port the kernel picks (printed first), and sets its
    /// samples from the control file whenever that changes: `SERVER MODEL VALUE` per line.
    static let exporter = """
        import sys, time
        from prometheus_client import Gauge, start_http_server
        queue = Gauge("inference_queue_size", "Requests waiting, per server and model", ["server", "model"])
        started = start_http_server(0, addr="127.0.0.1")
        print(started[0].server_port, flush=True)
        last = None
        while True:
            try:
                text = open(sys.argv[1]).read()
            except FileNotFoundError:
                text = ""
            if text != last:
                for line in text.splitlines():
                    server, model, value = line.split()
                    queue.labels(server, model).set(float(value))
                last = text
            time.sleep(0.02)
        """

    @Test("type = http, format = prometheus: label selection, then a scale-up when a gauge rises")
    func gauges() async throws {
        let dir = Workspace()
        defer { dir.remove() }
        guard let python = await ExternalPeers.find(.prometheusClient) else { return }
        dir.writeAtomically(dir.file("gauges.txt"), "gpu-1 llama 3\ngpu-2 llama 5\ngpu-3 mistral 90\n")
        let exporter = ChildProcess(python, ["-c", Self.exporter, dir.file("gauges.txt")], captureIn: dir.path)
        let port = await eventually(every: .milliseconds(20)) {
            exporter.standardOutput.split(separator: "\n").first.map(String.init)
        } ?? ""
        try #require(!port.isEmpty, "the exporter did not start: \(exporter.standardError)")

        dir.writeConfig(sourceSection: """
            type = http
            url = http://127.0.0.1:\(port)/metrics
            format = prometheus
            metric = inference_queue_size
            server_label = server
            label_match = model=llama
            poll_interval = 200ms
            """, policy: "scale_up_threshold = 50")
        let once = await ChildProcess.run(["once", "--config", dir.configPath], in: dir.path)
        // Only the llama samples count: two servers, gpu-3 (a mistral sample at 90) is not one.
        #expect(once.stdout == "Servers to scale: 0\nDecision: hold from 3 to 3 (all 2 servers below scale_down_threshold 20 "
            + "(max gpu-2=5); total load 8 needs 1 at target_load 50 but scale_down_stabilization 5min holds at 3)\n",
                "\(once.stderr)")

        let daemon = ChildProcess(autoscaledBinary(), ["run", "--config", dir.configPath], captureIn: dir.path)
        #expect(await daemon.waitForLine("event=hold", "servers_to_scale=0 max_load=5 max_server=gpu-2") != nil,
                "\(daemon.standardError)")
        dir.writeAtomically(dir.file("gauges.txt"), "gpu-1 llama 3\ngpu-2 llama 70\ngpu-3 mistral 90\n")
        let up = await daemon.waitForLine("event=scale-up")
        #expect(up?.contains("from=3 to=4 servers_to_scale=1 threshold=50 max_load=70 max_server=gpu-2") == true, "\(up ?? "")")
        #expect(!daemon.standardError.contains("gpu-3"))

        // The exporter goes away: the daemon holds, then notes the source down.
        exporter.signal(SIGTERM)
        #expect(await exporter.wait() != nil)
        // A poll under way when the exporter stops may fail first with a reset; the next find it gone.
        let error = await daemon.waitForLine("event=source-error", "connection refused")
        #expect(error?.contains("connect(127.0.0.1:\(port)): connection refused (errno 111)") == true, "\(daemon.standardError)")
        #expect(await daemon.waitForLine("event=source-down") != nil)
        daemon.signal(SIGTERM)
        #expect(await daemon.wait() == 0)
        #expect(dir.savedReplicas() == 4)
    }
}
