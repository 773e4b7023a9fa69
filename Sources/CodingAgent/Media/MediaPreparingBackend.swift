import Foundation

/// A backend that fits every media part of a request to its provider before sending it.
///
/// Wraps a provider backend: `MediaPreparer` downscales, transcodes or samples the media for the
/// provider's `ProviderMediaProfile`, then the wrapped backend encodes the (file-referencing)
/// parts while the body streams. Requests without media pass straight through.
public struct MediaPreparingBackend: ModelBackend {
    /// The provider backend that sends the request.
    public var base: any ModelBackend
    /// What the provider accepts.
    public var profile: ProviderMediaProfile
    /// Converts media (ffmpeg) into the cache.
    public var preparer: MediaPreparer

    /// Wraps `base`.
    public init(
        base: any ModelBackend, profile: ProviderMediaProfile, preparer: MediaPreparer = MediaPreparer()
    ) {
        self.base = base
        self.profile = profile
        self.preparer = preparer
    }

    public var displayName: String { base.displayName }

    public func serverProperties() async -> ServerProperties? { await base.serverProperties() }

    public func stream(_ request: ModelRequest) -> AsyncThrowingStream<StreamChunk, any Error> {
        let hasMedia = request.messages.contains { $0.parts.contains { $0.media != nil } }
        guard hasMedia else { return base.stream(request) }
        let (stream, continuation) = AsyncThrowingStream<StreamChunk, any Error>.makeStream()
        let task = Task { [base, profile, preparer] in
            var prepared = request
            prepared.messages = await preparer.prepare(request.messages, for: profile)
            do {
                for try await chunk in base.stream(prepared) { continuation.yield(chunk) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }
}

extension BackendFactory {
    /// `makeBackend(_:)` wrapped in a `MediaPreparingBackend` for the provider's media profile,
    /// with derived media cached under `cacheDirectory` (`.massgen/cache/media`). Scripted
    /// backends are returned unwrapped: they never send media.
    public func makeMediaBackend(
        _ configuration: BackendConfiguration, cacheDirectory: String,
        runner: MediaProcessRunner = MediaProcessRunner()
    ) throws -> any ModelBackend {
        let backend = try makeBackend(configuration)
        guard let profile = ProviderMediaProfile.forType(try configuration.resolvedType()) else {
            return backend
        }
        return MediaPreparingBackend(
            base: backend, profile: profile,
            preparer: MediaPreparer(cacheDirectory: cacheDirectory, runner: runner))
    }
}
