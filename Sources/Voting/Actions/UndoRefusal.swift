/// Why `mg undo` changed nothing, with the ways forward.
public enum UndoRefusal: Error, Sendable, CustomStringConvertible {
    /// Something the operation wrote was changed since.
    case changedSince(id: Int64, reason: String, newest: Bool)
    /// No operation with this id is waiting to be undone.
    case unknown(id: Int64)

    public var description: String {
        switch self {
        case .changedSince(let id, let reason, let newest):
            var text = "Undo refused: \(reason)\nNothing was changed."
            if newest {
                text += "\nHint: `mg undo --skip` leaves operation #\(id) as it is, so the next `mg undo` goes further back; "
                    + "`mg undo ID` undoes another one (`mg undo --list` shows them)."
            }
            return text
        case .unknown(let id):
            return "There is no operation #\(id) waiting to be undone.\nHint: `mg undo --list` shows them."
        }
    }
}
