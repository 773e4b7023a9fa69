import CodingAgent
import Foundation
import GitWorkspace
import MGTestSupport
import Testing

@testable import Voting

/// The session media library: one streamed, hash-checked copy per content, recorded in the
/// conversation history by reference and readable again by a later turn.
@Suite struct MediaLibraryTests {
    /// A real PNG made by ffmpeg at `path`.
    func makePNG(_ path: String, size: String = "96x64") async throws {
        let output = try await MediaProcessRunner().run(
            "ffmpeg",
            [
                "-nostdin", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=\(size):rate=1",
                "-frames:v", "1", path,
            ],
            timeout: .seconds(60), subject: path)
        #expect(output.status == 0, "\(output.standardErrorTail)")
    }

    @Test func attachmentIsCopiedOnceAndDeduplicatedByContent() async throws {
        let folder = try TemporaryFolder()
        try await makePNG(folder.path + "/screen.png")
        try FileManager.default.copyItem(
            atPath: folder.path + "/screen.png", toPath: folder.path + "/same-content.bin")
        let library = MediaLibrary(layout: folder.layout, session: "s1")
        let attachment = try await MediaInspector().inspect(folder.path + "/screen.png")
        let first = try library.store(attachment)
        #expect(first.copied)
        let name = attachment.reference.sha256 + ".png"
        #expect(
            first.reference
                == MediaReference(
                    path: ".massgen/sessions/s1/media/" + name, sha256: attachment.reference.sha256,
                    mime: "image/png"))
        #expect(first.attachment.reference.path == folder.path + "/.massgen/sessions/s1/media/" + name)
        #expect(
            try Data(contentsOf: URL(fileURLWithPath: first.attachment.reference.path))
                == Data(contentsOf: URL(fileURLWithPath: folder.path + "/screen.png")))
        // The same bytes under another name are not copied again.
        let again = try library.store(try await MediaInspector().inspect(folder.path + "/same-content.bin"))
        #expect(!again.copied && again.reference == first.reference)
        #expect(try FileManager.default.contentsOfDirectory(atPath: library.directory) == [name])
    }

    @Test func historyKeepsTheReferenceAndALaterTurnReadsTheCopy() async throws {
        let folder = try TemporaryFolder()
        try await makePNG(folder.path + "/bug.png")
        let store = try SessionStore.open(layout: folder.layout)
        try populate(store, session: "s1", startedAt: Date(), turns: 1)
        let library = MediaLibrary(layout: folder.layout, session: "s1")
        let stored = try library.store(try await MediaInspector().inspect(folder.path + "/bug.png"))
        try store.appendConversation(
            ConversationEntry(
                session: "s1", turn: 1, role: .user, text: "fix the layout", media: [stored.reference]))
        // The original goes away; the history still resolves to the stored copy.
        try FileManager.default.removeItem(atPath: folder.path + "/bug.png")
        let history = try store.conversation(of: "s1")
        let recorded = try #require(history.first { $0.role == .user }?.media.first)
        #expect(recorded == stored.reference)
        let part = try #require(library.contentPart(for: recorded))
        guard case .image(let media) = part else {
            Issue.record("expected an image part, got \(part)")
            return
        }
        #expect(media.path == stored.attachment.reference.path && media.mimeType == "image/png")
        #expect(media.byteCount == stored.attachment.reference.byteCount)
        let missing = MediaReference(
            path: ".massgen/sessions/s1/media/none.png", sha256: "00", mime: "image/png")
        #expect(library.contentPart(for: missing) == nil)
    }

    @Test func aFileChangedAfterInspectionIsNotStored() async throws {
        let folder = try TemporaryFolder()
        try await makePNG(folder.path + "/live.png")
        let attachment = try await MediaInspector().inspect(folder.path + "/live.png")
        try await makePNG(folder.path + "/live.png", size: "50x50")
        let library = MediaLibrary(layout: folder.layout, session: "s2")
        #expect(throws: SessionStoreError.self) { try library.store(attachment) }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: library.directory)) ?? []
        #expect(leftovers.isEmpty, "no partial copy is left behind")
    }
}
