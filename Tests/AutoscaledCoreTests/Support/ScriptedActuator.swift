import AutoscaledCore
@testable import AutoscaledSystem

/// An actuator that records every request and answers each from a script of steps (the last step
/// repeats). `.block` waits until ``release()`` or until its task is cancelled. A success reports
/// no change of its own (as a check that found everything in place would).
final class ScriptedActuator: Actuator {
    enum Step: Sendable {
        case succeed
        case fail
        case block
    }

    private struct State {
        var steps: [Step]
        var requests: [ActuationRequest] = []
        var blocked: CheckedContinuation<Void, Never>?
        var released = false
    }

    private let state: Locked<State>

    init(_ steps: [Step]) {
        state = Locked(State(steps: steps))
    }

    var requests: [ActuationRequest] { state.withLock { $0.requests } }

    /// Lets a blocked (or the next blocking) request succeed.
    func release() {
        let continuation = state.withLock { state in
            state.released = true
            defer { state.blocked = nil }
            return state.blocked
        }
        continuation?.resume()
    }

    /// Waits (without blocking a thread) until `count` requests have arrived.
    func waitForRequests(_ count: Int, timeout: Duration = .seconds(60)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while requests.count < count {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: .milliseconds(1))
        }
        return true
    }

    func apply(_ request: ActuationRequest) async throws(ActuationError) -> ActuationReport {
        let step = state.withLock { state in
            state.requests.append(request)
            return state.steps.count > 1 ? state.steps.removeFirst() : state.steps.first ?? .succeed
        }
        switch step {
        case .succeed:
            return ActuationReport(changed: false)
        case .fail:
            throw .exited(program: "/bin/scale", status: 1, standardError: "boom")
        case .block:
            await withTaskCancellationHandler {
                await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                    let proceed = state.withLock { state in
                        if state.released || Task.isCancelled {
                            state.released = false
                            return true
                        }
                        state.blocked = continuation
                        return false
                    }
                    if proceed { continuation.resume() }
                }
            } onCancel: {
                let continuation = state.withLock { state in
                    defer { state.blocked = nil }
                    return state.blocked
                }
                continuation?.resume()
            }
            if Task.isCancelled { throw .cancelled }
            return ActuationReport(changed: false)
        }
    }
}
