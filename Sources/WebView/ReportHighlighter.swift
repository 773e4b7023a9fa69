/// A small syntax highlighter for diff lines: strings, comments, numbers and keywords of the
/// common languages, chosen by file extension. Hand-written because no package on the machine's
/// list highlights code in the browser and the page may load nothing from outside; it marks up a
/// line at a time, so a wrong guess never spills into the next line.
enum ReportHighlighter {
    static let source = #"""
        var KEYWORDS = {
          c: 'auto break case char const continue default do double else enum extern float for goto if int long return short signed sizeof static struct switch typedef union unsigned void volatile while class namespace public private protected template new delete nullptr true false',
          swift: 'actor as associatedtype async await break case catch class continue default defer do else enum extension false fileprivate for func guard if import in init internal let nil open private protocol public return self Self some static struct super switch throw throws true try typealias var where while',
          js: 'async await break case catch class const continue default delete do else export extends false finally for function if import in instanceof let new null return static super switch this throw true try typeof undefined var void while yield interface type enum implements package private protected public',
          py: 'and as assert async await break class continue def del elif else except False finally for from global if import in is lambda None nonlocal not or pass raise return True try while with yield self',
          sh: 'case do done elif else esac fi for function if in local return then until while echo export set shift exit',
          go: 'break case chan const continue default defer else fallthrough for func go goto if import interface map package range return select struct switch type var nil true false',
          rs: 'as async await break const continue crate else enum extern false fn for if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe use where while',
          rb: 'begin break case class def do else elsif end ensure false for if in module next nil not or redo rescue retry return self super then true undef unless until when while yield'
        };
        var EXTENSIONS = { swift: 'swift', js: 'js', mjs: 'js', cjs: 'js', ts: 'js', tsx: 'js', jsx: 'js', java: 'js', kt: 'swift',
          py: 'py', sh: 'sh', bash: 'sh', zsh: 'sh', go: 'go', rs: 'rs', c: 'c', h: 'c', cc: 'c', cpp: 'c', hpp: 'c', m: 'c', rb: 'rb' };
        var keywordSets = {};
        function keywords(lang) {
          if (!keywordSets[lang]) {
            var set = {};
            (KEYWORDS[lang] || '').split(' ').forEach(function (w) { set[w] = true; });
            keywordSets[lang] = set;
          }
          return keywordSets[lang];
        }
        function languageOf(path) {
          var m = /\.([A-Za-z0-9]+)$/.exec(path || '');
          return (m && EXTENSIONS[m[1].toLowerCase()]) || null;
        }
        var HASH_COMMENTS = /("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?)|(#.*$)|(\b\d[\w.]*)|([A-Za-z_$][\w$]*)/g;
        var SLASH_COMMENTS = /("(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?|`(?:[^`\\]|\\.)*`?)|(\/\/.*$|\/\*.*?(?:\*\/|$))|(\b\d[\w.]*)|([A-Za-z_$][\w$]*)/g;
        function highlight(row, text, lang) {
          if (!lang) { row.appendChild(document.createTextNode(text)); return; }
          var re = (lang === 'py' || lang === 'sh' || lang === 'rb') ? HASH_COMMENTS : SLASH_COMMENTS;
          var kw = keywords(lang), last = 0, m;
          re.lastIndex = 0;
          while ((m = re.exec(text)) !== null) {
            if (m[0].length === 0) { re.lastIndex++; continue; }
            var cls = m[1] ? 's' : m[2] ? 'c' : m[3] ? 'n' : kw[m[4]] ? 'k' : null;
            if (!cls) continue;
            if (m.index > last) row.appendChild(document.createTextNode(text.slice(last, m.index)));
            add(row, el('span', 'tk-' + cls, m[0]));
            last = m.index + m[0].length;
          }
          if (last < text.length) row.appendChild(document.createTextNode(text.slice(last)));
        }

        """#
}
