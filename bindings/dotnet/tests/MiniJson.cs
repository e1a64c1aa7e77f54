// A tiny JSON reader for the test vectors (Mono has no JSON library by
// default). Objects become Dictionary<string, object>, arrays List<object>,
// numbers long (or double), plus string, bool and null.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace Licensing.Tests
{
    internal sealed class MiniJson
    {
        private readonly string text;
        private int pos;

        private MiniJson(string text)
        {
            this.text = text;
        }

        public static object Parse(string text)
        {
            var reader = new MiniJson(text);
            object value = reader.ReadValue();
            reader.SkipWhitespace();
            if (reader.pos != text.Length)
            {
                throw reader.Error("trailing characters");
            }
            return value;
        }

        private FormatException Error(string what)
        {
            return new FormatException("JSON: " + what + " at offset " + pos);
        }

        private void SkipWhitespace()
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }
        }

        private object ReadValue()
        {
            SkipWhitespace();
            if (pos >= text.Length)
            {
                throw Error("unexpected end");
            }
            char c = text[pos];
            switch (c)
            {
                case '{': return ReadObject();
                case '[': return ReadArray();
                case '"': return ReadString();
                case 't': Expect("true"); return true;
                case 'f': Expect("false"); return false;
                case 'n': Expect("null"); return null;
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ReadNumber();
                    }
                    throw Error("unexpected character '" + c + "'");
            }
        }

        private void Expect(string word)
        {
            if (string.CompareOrdinal(text, pos, word, 0, word.Length) != 0)
            {
                throw Error("expected " + word);
            }
            pos += word.Length;
        }

        private Dictionary<string, object> ReadObject()
        {
            var result = new Dictionary<string, object>(StringComparer.Ordinal);
            pos++; // {
            SkipWhitespace();
            if (text[pos] == '}')
            {
                pos++;
                return result;
            }
            while (true)
            {
                SkipWhitespace();
                if (text[pos] != '"')
                {
                    throw Error("expected a key");
                }
                string key = ReadString();
                SkipWhitespace();
                if (text[pos] != ':')
                {
                    throw Error("expected ':'");
                }
                pos++;
                result[key] = ReadValue();
                SkipWhitespace();
                char c = text[pos++];
                if (c == '}')
                {
                    return result;
                }
                if (c != ',')
                {
                    throw Error("expected ',' or '}'");
                }
            }
        }

        private List<object> ReadArray()
        {
            var result = new List<object>();
            pos++; // [
            SkipWhitespace();
            if (text[pos] == ']')
            {
                pos++;
                return result;
            }
            while (true)
            {
                result.Add(ReadValue());
                SkipWhitespace();
                char c = text[pos++];
                if (c == ']')
                {
                    return result;
                }
                if (c != ',')
                {
                    throw Error("expected ',' or ']'");
                }
            }
        }

        private string ReadString()
        {
            pos++; // "
            var sb = new StringBuilder();
            while (true)
            {
                if (pos >= text.Length)
                {
                    throw Error("unterminated string");
                }
                char c = text[pos++];
                if (c == '"')
                {
                    return sb.ToString();
                }
                if (c != '\\')
                {
                    sb.Append(c);
                    continue;
                }
                char e = text[pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        sb.Append((char)int.Parse(text.Substring(pos, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                        pos += 4;
                        break;
                    default: throw Error("bad escape");
                }
            }
        }

        private object ReadNumber()
        {
            int start = pos;
            if (text[pos] == '-')
            {
                pos++;
            }
            bool integral = true;
            while (pos < text.Length && "0123456789.eE+-".IndexOf(text[pos]) >= 0)
            {
                if (text[pos] == '.' || text[pos] == 'e' || text[pos] == 'E')
                {
                    integral = false;
                }
                pos++;
            }
            string number = text.Substring(start, pos - start);
            if (integral)
            {
                return long.Parse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            }
            return double.Parse(number, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
    }
}
