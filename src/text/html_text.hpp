// Text placed into HTML: the five characters that could end an element or attribute escaped. The
// monthly report and the case documents (notices, records, feedback) write their pages with it.
// Thread safety: a pure function.
#pragma once

#include <string>
#include <string_view>

namespace gridaudit {

// & < > " ' as &amp; &lt; &gt; &quot; &#39;; everything else as it is.
[[nodiscard]] std::string html_escape(std::string_view text);

}  // namespace gridaudit
