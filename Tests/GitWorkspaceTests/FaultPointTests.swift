import Testing

@testable import GitWorkspace

@Suite("FaultPoint")
struct FaultPointTests {
    @Test("fault point specs parse NAME and NAME#K; malformed parts are dropped")
    func faultPointParsing() {
        #expect(FaultPoint.parse(nil).isEmpty)
        #expect(FaultPoint.parse("").isEmpty)
        #expect(FaultPoint.parse("after-turn-begin") == [.init(name: "after-turn-begin", occurrence: 1)])
        #expect(FaultPoint.parse(" a#3 , b ,#2, c#0, d#x") == [.init(name: "a", occurrence: 3), .init(name: "b", occurrence: 1)])
    }

    @Test("a fault point fires exactly at its K-th hit, counted per name")
    func faultPointCounting() {
        let specs = FaultPoint.parse("after-iteration-record#2,after-vote-record")
        let counter = FaultPoint.HitCounter()
        #expect(!FaultPoint.shouldKill("after-iteration-record", specs: specs, counter: counter))
        #expect(!FaultPoint.shouldKill("after-turn-begin", specs: specs, counter: counter))
        #expect(FaultPoint.shouldKill("after-iteration-record", specs: specs, counter: counter))
        #expect(!FaultPoint.shouldKill("after-iteration-record", specs: specs, counter: counter))
        #expect(FaultPoint.shouldKill("after-vote-record", specs: specs, counter: counter))
        // Unarmed (this test process has no MG_FAULT_POINT): hitting does nothing.
        FaultPoint.hit("after-iteration-record")
        #expect(FaultPoint.matches(name: "a", count: 1, specs: [.init(name: "a", occurrence: 1)]))
    }

    @Test("an armed fail: spec makes the named step throw; unarmed it does nothing")
    func failPoints() throws {
        // This test process has no MG_FAULT_POINT: nothing fails.
        try FaultPoint.failIfArmed("journal-begin")
        let specs = FaultPoint.parse("fail:apply-file#2")
        let counter = FaultPoint.HitCounter()
        #expect(!FaultPoint.shouldKill("fail:apply-file", specs: specs, counter: counter))
        #expect(FaultPoint.shouldKill("fail:apply-file", specs: specs, counter: counter))
    }
}
