#include "mail/sender.hpp"

#include <boost/url/parse.hpp>
#include <curl/curl.h>
#include <memory>
#include <mutex>
#include <stdexcept>

namespace spire::mail {

namespace {

// curl_global_init is not thread-safe in every build of libcurl: run it
// once, before the first handle, whichever thread gets here first.
void init_curl_once() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            throw std::runtime_error("curl_global_init failed");
    });
}

struct EasyDeleter {
    void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct MimeDeleter {
    void operator()(curl_mime* mime) const { curl_mime_free(mime); }
};
struct ListDeleter {
    void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Mime = std::unique_ptr<curl_mime, MimeDeleter>;
using List = std::unique_ptr<curl_slist, ListDeleter>;

// Appends to a list kept in an owning pointer; throws on allocation failure.
void append(List& list, const std::string& line) {
    curl_slist* grown = curl_slist_append(list.get(), line.c_str());
    if (grown == nullptr)
        throw std::bad_alloc();
    (void)list.release();
    list.reset(grown);
}

void add_text_part(curl_mime* mime, const std::string& text, const char* type) {
    curl_mimepart* part = curl_mime_addpart(mime);
    curl_mime_data(part, text.data(), text.size());
    curl_mime_type(part, type);
    // Quoted-printable keeps Norwegian text readable in the raw message and
    // its lines short (RFC 5322's 998-octet limit) whatever the text is.
    curl_mime_encoder(part, "quoted-printable");
    // Shown in the message, not offered as an attachment: curl calls a data
    // part without a name an attachment unless told otherwise.
    curl_mime_headers(part, curl_slist_append(nullptr, "Content-Disposition: inline"), 1);
}

// The body: the text alone, or text and HTML as alternatives (RFC 2046
// §5.1.4: the preferred, richer form last).
Mime build_body(CURL* handle, const QueuedMail& mail) {
    Mime mime(curl_mime_init(handle));
    if (!mail.body_html) {
        add_text_part(mime.get(), mail.body_text, "text/plain; charset=UTF-8");
        return mime;
    }
    Mime alternatives(curl_mime_init(handle));
    add_text_part(alternatives.get(), mail.body_text, "text/plain; charset=UTF-8");
    add_text_part(alternatives.get(), *mail.body_html, "text/html; charset=UTF-8");
    curl_mimepart* part = curl_mime_addpart(mime.get());
    // The part owns the alternatives from here on.
    curl_mime_subparts(part, alternatives.release());
    curl_mime_type(part, "multipart/alternative");
    return mime;
}

// Mail lines end in CRLF (RFC 5322 §2.1); curl sends data parts as given.
std::string crlf_lines(std::string_view text) {
    std::string out;
    out.reserve(text.size() + text.size() / 40);
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            out += '\r';
        out += text[i];
    }
    return out;
}

} // namespace

Result<void> check_smtp_url(std::string_view url) {
    auto parsed = boost::urls::parse_absolute_uri(url);
    if (!parsed)
        return tl::unexpected(Error::invalid("--smtp-url must be a URL such as smtp://host:25"));
    if (parsed->scheme() != "smtp" && parsed->scheme() != "smtps")
        return tl::unexpected(Error::invalid("--smtp-url must start with smtp:// or smtps://"));
    if (parsed->host().empty())
        return tl::unexpected(Error::invalid("--smtp-url needs a host, e.g. smtp://localhost:25"));
    return {};
}

SmtpSender::SmtpSender(SmtpConfig config) : m_config(std::move(config)) {
    if (!is_plain_address(m_config.sender.address))
        throw std::invalid_argument("mail: sender address is not a plain address");
    init_curl_once();
}

Result<void> SmtpSender::send(const QueuedMail& mail, TimePoint now) const {
    Easy handle(curl_easy_init());
    if (!handle)
        throw std::runtime_error("curl_easy_init failed");
    CURL* curl = handle.get();
    QueuedMail lines = mail;
    lines.body_text = crlf_lines(mail.body_text);
    if (mail.body_html)
        lines.body_html = crlf_lines(*mail.body_html);

    List recipients;
    append(recipients, "<" + mail.recipient + ">");
    List headers;
    for (const auto& header : message_headers(mail, m_config.sender, now))
        append(headers, header);
    Mime body = build_body(curl, lines);
    const std::string from = "<" + m_config.sender.address + ">";
    char error[CURL_ERROR_SIZE] = {};

    curl_easy_setopt(curl, CURLOPT_URL, m_config.url.c_str());
    // Only mail protocols, also after a redirect-like surprise in the URL.
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients.get());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
    curl_easy_setopt(curl, CURLOPT_MIMEPOST, body.get());
    if (m_config.require_starttls)
        curl_easy_setopt(curl, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_ALL));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(m_config.connect_timeout.count()));
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(m_config.timeout.count()));
    // Timeouts by signal would hit other threads of the server.
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);

    CURLcode code = curl_easy_perform(curl);
    if (code == CURLE_OK)
        return {};
    std::string detail = curl_easy_strerror(code);
    if (error[0] != '\0')
        detail += ": " + std::string(error);
    return tl::unexpected(Error::unavailable("The e-mail could not be sent.", detail));
}

} // namespace spire::mail
