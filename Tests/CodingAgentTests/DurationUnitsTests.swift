import CodingAgent
import Testing

@Suite struct DurationUnitsTests {
    @Test func secondsKeepFractionsAndMillisecondsRoundDown() {
        #expect(Duration.milliseconds(1500).inSeconds == 1.5)
        #expect(Duration.seconds(90).inSeconds == 90)
        #expect(Duration.milliseconds(1500).inMilliseconds == 1500)
        #expect(Duration.microseconds(999).inMilliseconds == 0)
        #expect(Duration.microseconds(2_999).inMilliseconds == 2)
    }
}
