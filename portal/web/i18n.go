package web

import (
	"net/http"

	"golang.org/x/text/language"
)

// Languages the pages are written in; the first is the fallback.
var supported = []language.Tag{language.English, language.SimplifiedChinese}

// langNames are the codes the switch and the cookie use, by tag index.
var langCodes = []string{"en", "zh-CN"}

// langCookie keeps a visitor's choice from the language switch.
const langCookie = "dealerhub_lang"

// matcher picks the closest supported language; it is read-only after
// init, so sharing it is safe.
var matcher = language.NewMatcher(supported)

// pickLang returns the language of a request: the switch (?lang=), then
// the cookie it set, then the user's preference, then Accept-Language.
func pickLang(r *http.Request, userLang string) string {
	if l := r.URL.Query().Get("lang"); isLangCode(l) {
		return l
	}
	if c, err := r.Cookie(langCookie); err == nil && isLangCode(c.Value) {
		return c.Value
	}
	prefs := []string{userLang, r.Header.Get("Accept-Language")}
	for _, p := range prefs {
		if p == "" {
			continue
		}
		tags, _, err := language.ParseAcceptLanguage(p)
		if err != nil || len(tags) == 0 {
			continue
		}
		_, i, conf := matcher.Match(tags...)
		if conf != language.No {
			return langCodes[i]
		}
	}
	return langCodes[0]
}

func isLangCode(s string) bool {
	for _, c := range langCodes {
		if s == c {
			return true
		}
	}
	return false
}

// translate returns the text of key in lang, falling back to English and
// then to the key itself (a test checks that every key has both).
func translate(lang, key string) string {
	if s, ok := messages[lang][key]; ok {
		return s
	}
	if s, ok := messages["en"][key]; ok {
		return s
	}
	return key
}

// messages holds every text of the pages by language and key.
var messages = map[string]map[string]string{
	"en": {
		"app.name":            "dealerhub portal",
		"nav.account":         "My account",
		"nav.users":           "Users",
		"nav.keys":            "API keys",
		"nav.logout":          "Log out",
		"nav.login":           "Log in",
		"lang.switch":         "中文",
		"login.title":         "Log in",
		"login.email":         "Email",
		"login.password":      "Password",
		"login.submit":        "Log in",
		"login.failed":        "Wrong email or password.",
		"account.title":       "My account",
		"account.name":        "Name",
		"account.email":       "Email",
		"account.partner":     "Organisation",
		"account.role":        "Role",
		"account.lang":        "Language",
		"account.lang.auto":   "Follow the browser",
		"account.save":        "Save",
		"account.saved":       "Saved.",
		"role.admin":          "Administrator",
		"role.member":         "Member",
		"users.title":         "Users",
		"users.status":        "Status",
		"users.active":        "Active",
		"users.invited":       "Invited",
		"users.disabled":      "Disabled",
		"users.invite":        "Invite a user",
		"users.invite.submit": "Invite",
		"users.invite.link":   "Send this link to the user. It is shown only once and works for 72 hours:",
		"keys.title":          "API keys",
		"keys.id":             "ID",
		"keys.label":          "Label",
		"keys.created":        "Created",
		"keys.revoked":        "Revoked",
		"keys.active":         "Active",
		"keys.create":         "Create a key",
		"keys.create.submit":  "Create",
		"keys.new":            "The new key. Copy it now: it is shown only once.",
		"keys.revoke":         "Revoke",
		"invite.title":        "Set your password",
		"invite.password":     "New password (at least 10 characters)",
		"invite.submit":       "Set password",
		"invite.invalid":      "This invite is unknown, used or expired. Ask your administrator for a new one.",
		"invite.done":         "Your password is set. You can log in now.",
		"error.forbidden":     "You may not open this page.",
		"error.csrf":          "The form expired or did not come from this site. Reload the page and try again.",
		"error.invalid":       "Please check the form:",
		"error.email_taken":   "A user with this email exists already.",
		"error.notfound":      "Not found.",
		"error.internal":      "Something went wrong. Try again later.",
		"error.title":         "Error",
		"common.back":         "Back",
	},
	"zh-CN": {
		"app.name":            "dealerhub 门户",
		"nav.account":         "我的账户",
		"nav.users":           "用户",
		"nav.keys":            "API 密钥",
		"nav.logout":          "退出登录",
		"nav.login":           "登录",
		"lang.switch":         "English",
		"login.title":         "登录",
		"login.email":         "电子邮件",
		"login.password":      "密码",
		"login.submit":        "登录",
		"login.failed":        "电子邮件或密码错误。",
		"account.title":       "我的账户",
		"account.name":        "姓名",
		"account.email":       "电子邮件",
		"account.partner":     "组织",
		"account.role":        "角色",
		"account.lang":        "语言",
		"account.lang.auto":   "跟随浏览器",
		"account.save":        "保存",
		"account.saved":       "已保存。",
		"role.admin":          "管理员",
		"role.member":         "成员",
		"users.title":         "用户",
		"users.status":        "状态",
		"users.active":        "已启用",
		"users.invited":       "已邀请",
		"users.disabled":      "已停用",
		"users.invite":        "邀请用户",
		"users.invite.submit": "邀请",
		"users.invite.link":   "请将此链接发送给该用户。链接只显示一次，72 小时内有效：",
		"keys.title":          "API 密钥",
		"keys.id":             "编号",
		"keys.label":          "标签",
		"keys.created":        "创建时间",
		"keys.revoked":        "已撤销",
		"keys.active":         "有效",
		"keys.create":         "创建密钥",
		"keys.create.submit":  "创建",
		"keys.new":            "新密钥。请立即复制：它只显示一次。",
		"keys.revoke":         "撤销",
		"invite.title":        "设置密码",
		"invite.password":     "新密码（至少 10 个字符）",
		"invite.submit":       "设置密码",
		"invite.invalid":      "此邀请无效、已使用或已过期。请向管理员索取新的邀请。",
		"invite.done":         "密码已设置，现在可以登录。",
		"error.forbidden":     "您无权打开此页面。",
		"error.csrf":          "表单已过期或并非来自本站。请刷新页面后重试。",
		"error.invalid":       "请检查表单：",
		"error.email_taken":   "已存在使用此电子邮件的用户。",
		"error.notfound":      "未找到。",
		"error.internal":      "出现错误，请稍后再试。",
		"error.title":         "错误",
		"common.back":         "返回",
	},
}
