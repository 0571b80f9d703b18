<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AppointmentsScreen</name>
    <message>
        <location filename="../../desktop/views/screens.py" line="27"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="28"/>
        <source>Previous day (Alt+Left)</source>
        <translation>前一天 (Alt+Left)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="30"/>
        <source>Next day (Alt+Right)</source>
        <translation>后一天 (Alt+Right)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="45"/>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="48"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="50"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="51"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="52"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="53"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="64"/>
        <source>No appointments on this day.</source>
        <translation>当天没有预约。</translation>
    </message>
</context>
<context>
    <name>BenchScreen</name>
    <message>
        <location filename="../../desktop/views/screens.py" line="72"/>
        <source>Bench</source>
        <translation>维修台</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="77"/>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="78"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="79"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="80"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="81"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="82"/>
        <source>Opened</source>
        <translation>开单时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="83"/>
        <source>Due</source>
        <translation>预计完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="91"/>
        <source>No open repair tickets.</source>
        <translation>没有未结的维修工单。</translation>
    </message>
</context>
<context>
    <name>BusyPage</name>
    <message>
        <location filename="../../desktop/app.py" line="106"/>
        <source>One moment</source>
        <translation>请稍候</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <location filename="../../desktop/core_messages.py" line="7"/>
        <source>a database already exists at this location; it was left untouched</source>
        <translation>此位置已有数据库，未作任何改动</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="8"/>
        <source>a name is required</source>
        <translation>请填写姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="9"/>
        <source>a store passphrase is needed to open the database</source>
        <translation>需要门店密码短语才能打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="10"/>
        <source>check digit does not match</source>
        <translation>校验位不正确</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="11"/>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="12"/>
        <source>describe the fault as the customer tells it</source>
        <translation>请按客户的描述填写故障</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="13"/>
        <source>enter the store passphrase to open the database</source>
        <translation>请输入门店密码短语以打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="14"/>
        <source>enter your PIN or password</source>
        <translation>请输入 PIN 码或密码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="15"/>
        <source>has an unknown country code</source>
        <translation>国家/地区代码无效</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="16"/>
        <source>is already in use</source>
        <translation>已被使用</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="17"/>
        <source>is not a customer field</source>
        <translation>不是客户资料字段</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="18"/>
        <source>is not a known role</source>
        <translation>不是有效的角色</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="19"/>
        <source>is not a known time zone</source>
        <translation>不是有效的时区</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="20"/>
        <source>is not a phone number</source>
        <translation>不是有效的电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="21"/>
        <source>is not a supported language</source>
        <translation>不是支持的语言</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="22"/>
        <source>is required</source>
        <translation>为必填项</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="23"/>
        <source>is too long</source>
        <translation>太长</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="24"/>
        <source>is too short</source>
        <translation>太短</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="25"/>
        <source>may contain only digits, spaces, dashes and slashes</source>
        <translation>只能包含数字、空格、短横线和斜杠</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="26"/>
        <source>may contain only letters A-Z, digits and dashes</source>
        <translation>只能包含字母 A-Z、数字和短横线</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="27"/>
        <source>must be 15 digits</source>
        <translation>必须是 15 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="28"/>
        <source>must be 2 to 8 letters or digits</source>
        <translation>必须是 2 到 8 位字母或数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="29"/>
        <source>must be 4 to 8 digits</source>
        <translation>必须是 4 到 8 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="30"/>
        <source>must be a date in the past</source>
        <translation>必须是过去的日期</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="31"/>
        <source>must be at least {n} characters</source>
        <translation>至少需要 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="32"/>
        <source>must be at most 300 characters</source>
        <translation>不能超过 300 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="33"/>
        <source>must be at most {n} characters</source>
        <translation>最多 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="34"/>
        <source>must be between {low} and {high} minutes</source>
        <translation>必须在 {low} 到 {high} 分钟之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="35"/>
        <source>must be text</source>
        <translation>必须是文本</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="36"/>
        <source>must contain a letter or digit</source>
        <translation>必须包含字母或数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="37"/>
        <source>must contain at least one letter</source>
        <translation>必须至少包含一个字母</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="38"/>
        <source>must not contain control characters</source>
        <translation>不能包含控制字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="39"/>
        <source>must not include an extension</source>
        <translation>不能包含分机号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="40"/>
        <source>no store database at this location</source>
        <translation>此位置没有门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="41"/>
        <source>not a valid phone number for country code +{code}</source>
        <translation>不是国家代码 +{code} 的有效电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="42"/>
        <source>not a valid phone number for region {region}</source>
        <translation>不是地区 {region} 的有效电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="43"/>
        <source>only an admin may create another admin</source>
        <translation>只有管理员才能创建管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="44"/>
        <source>repair ticket</source>
        <translation>维修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="45"/>
        <source>staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="46"/>
        <source>store</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="47"/>
        <source>the PIN is blocked after too many wrong tries: enter your full password</source>
        <translation>PIN 码错误次数过多，已被停用：请输入完整密码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="48"/>
        <source>the backup file already exists; choose another name</source>
        <translation>备份文件已存在，请换一个名称</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="49"/>
        <source>the backup is damaged and was not restored</source>
        <translation>备份已损坏，未执行恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="50"/>
        <source>the database&apos;s key information file is not Orchard&apos;s</source>
        <translation>数据库的密钥信息文件不属于 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="51"/>
        <source>the demo can only be built into an empty store database</source>
        <translation>演示数据只能生成到空的门店数据库中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="52"/>
        <source>the key for this database is not in this computer&apos;s keyring</source>
        <translation>本机的系统密钥环中没有此数据库的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="53"/>
        <source>the key is right but the database file is damaged; restore a backup</source>
        <translation>密钥正确，但数据库文件已损坏，请从备份恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="54"/>
        <source>the restore target already exists; move it away first</source>
        <translation>恢复目标已存在，请先将其移走</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="55"/>
        <source>this account cannot sign in</source>
        <translation>此账户无法登录</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="56"/>
        <source>this account is locked; a manager can unlock it</source>
        <translation>此账户已锁定，可由店长解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="57"/>
        <source>this computer has no secure keyring: a new store passphrase is needed</source>
        <translation>本机没有安全的系统密钥环：需要设置新的门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="58"/>
        <source>this computer has no secure keyring: choose a store passphrase to protect the database</source>
        <translation>本机没有安全的系统密钥环：请设置门店密码短语来保护数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="59"/>
        <source>this database already belongs to a store</source>
        <translation>此数据库已属于某个门店</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="60"/>
        <source>this encrypted file is not an Orchard store database</source>
        <translation>此加密文件不是 Orchard 门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="61"/>
        <source>this file is a plain, unencrypted SQLite database, not an Orchard store database</source>
        <translation>此文件是未加密的普通 SQLite 数据库，不是 Orchard 门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="62"/>
        <source>this file is not an Orchard store database (it is empty or an unencrypted SQLite file)</source>
        <translation>此文件不是 Orchard 门店数据库（文件为空或是未加密的 SQLite 文件）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="63"/>
        <source>this file is not an Orchard store database (its key information file is missing)</source>
        <translation>此文件不是 Orchard 门店数据库（缺少密钥信息文件）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="64"/>
        <source>this key or passphrase does not open the store database</source>
        <translation>此密钥或密码短语无法打开门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="65"/>
        <source>wrong PIN</source>
        <translation>PIN 码错误</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="66"/>
        <source>wrong PIN; the PIN is now blocked: enter your full password</source>
        <translation>PIN 码错误，PIN 码现已停用：请输入完整密码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="67"/>
        <source>wrong password</source>
        <translation>密码错误</translation>
    </message>
</context>
<context>
    <name>CredentialBox</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="244"/>
        <source>Use my password instead of the PIN</source>
        <translation>改用密码登录（不用 PIN 码）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="247"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="261"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="261"/>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
</context>
<context>
    <name>CustomersScreen</name>
    <message>
        <location filename="../../desktop/views/customers.py" line="26"/>
        <source>Name, 拼音, phone, email, IMEI or member card</source>
        <translation>姓名、拼音、电话、邮箱、IMEI 或会员卡号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="43"/>
        <location filename="../../desktop/views/customers.py" line="56"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="44"/>
        <location filename="../../desktop/views/customers.py" line="57"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="45"/>
        <location filename="../../desktop/views/customers.py" line="58"/>
        <source>Email</source>
        <translation>邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="46"/>
        <source>Customer since</source>
        <translation>成为客户日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="53"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="59"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="60"/>
        <source>Last change</source>
        <translation>最近更新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="64"/>
        <source>Type or scan to find a customer.</source>
        <translation>输入或扫码查找客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="65"/>
        <source>No customer matches.</source>
        <translation>没有匹配的客户。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/errors.py" line="34"/>
        <source>Your role ({0}) may not do this.</source>
        <translation>您的角色（{0}）无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="36"/>
        <source>{0} not found</source>
        <translation>未找到{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="50"/>
        <source>Something went wrong ({0}). Nothing was saved by this action; it has been logged.</source>
        <translation>出现错误（{0}）。此操作未保存任何内容，错误已记录到日志。</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="117"/>
        <source>Orchard</source>
        <translation>Orchard</translation>
    </message>
</context>
<context>
    <name>Labels</name>
    <message>
        <location filename="../../desktop/labels.py" line="9"/>
        <source>associate</source>
        <translation>店员</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="10"/>
        <source>technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="11"/>
        <source>manager</source>
        <translation>店长</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="12"/>
        <source>admin</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="14"/>
        <source>booked</source>
        <translation>已预约</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="15"/>
        <source>checked in</source>
        <translation>已到店</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="16"/>
        <source>in service</source>
        <translation>服务中</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="17"/>
        <source>completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="18"/>
        <source>no-show</source>
        <translation>未到店</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="19"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="21"/>
        <source>new</source>
        <translation>新建</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="22"/>
        <source>diagnosing</source>
        <translation>检测中</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="23"/>
        <source>awaiting approval</source>
        <translation>待客户确认</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="24"/>
        <source>awaiting parts</source>
        <translation>待配件</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="25"/>
        <source>in repair</source>
        <translation>维修中</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="26"/>
        <source>quality check</source>
        <translation>质检中</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="27"/>
        <source>ready for pickup</source>
        <translation>待取机</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="28"/>
        <source>collected</source>
        <translation>已取机</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="29"/>
        <source>unrepairable</source>
        <translation>无法维修</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="31"/>
        <source>quoted</source>
        <translation>已报价</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="32"/>
        <source>accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="33"/>
        <source>declined</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="34"/>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="35"/>
        <source>re-quoted</source>
        <translation>已重新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="36"/>
        <source>received</source>
        <translation>已收机</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="37"/>
        <source>like new</source>
        <translation>近全新</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="38"/>
        <source>good</source>
        <translation>良好</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="39"/>
        <source>fair</source>
        <translation>一般</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="40"/>
        <source>damaged</source>
        <translation>有损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="41"/>
        <source>unusable</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="43"/>
        <source>Silver</source>
        <translation>银卡</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="44"/>
        <source>Gold</source>
        <translation>金卡</translation>
    </message>
    <message>
        <location filename="../../desktop/labels.py" line="45"/>
        <source>Platinum</source>
        <translation>白金卡</translation>
    </message>
</context>
<context>
    <name>ListScreen</name>
    <message>
        <location filename="../../desktop/views/base.py" line="64"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/base.py" line="100"/>
        <source>Nothing to show.</source>
        <translation>暂无内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/base.py" line="114"/>
        <source>{0} shown</source>
        <translation>显示 {0} 条</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="368"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="373"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="376"/>
        <source>Sign in as someone else</source>
        <translation>以其他用户登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="383"/>
        <source>{0} locked this counter. Enter your PIN to continue.</source>
        <translation>{0} 锁定了此柜台。请输入 PIN 码继续。</translation>
    </message>
</context>
<context>
    <name>LoyaltyScreen</name>
    <message>
        <location filename="../../desktop/views/screens.py" line="125"/>
        <source>Loyalty</source>
        <translation>会员积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="128"/>
        <source>Member</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="129"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="130"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="131"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="133"/>
        <source>Enrolled</source>
        <translation>入会日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="140"/>
        <source>No loyalty members yet.</source>
        <translation>暂无会员。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/app.py" line="128"/>
        <source>Orchard</source>
        <translation>Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="162"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="177"/>
        <source>&amp;Orchard</source>
        <translation>Orchard(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="178"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="182"/>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="185"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="197"/>
        <source>Signed in: {0} ({1})</source>
        <translation>已登录：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="198"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="226"/>
        <source>Building the demo store (customers, devices, appointments, tickets)…</source>
        <translation>正在生成演示门店（客户、设备、预约、工单）…</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="267"/>
        <source>Opening the store database…</source>
        <translation>正在打开门店数据库…</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="296"/>
        <source>Orchard — {0}</source>
        <translation>Orchard — {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="309"/>
        <source>Demo store (demo data only). PINs: {0}</source>
        <translation>演示门店（仅演示数据）。PIN 码：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="310"/>
        <source>Demo store. PINs: see demo-credentials.txt beside the database ({0}).</source>
        <translation>演示门店。PIN 码见数据库旁的 demo-credentials.txt（{0}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="313"/>
        <source>Store passphrase: {0}</source>
        <translation>门店密码短语：{0}</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="158"/>
        <source>Open the store database</source>
        <translation>打开门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="159"/>
        <source>This computer has no secure keyring. Enter the store passphrase.</source>
        <translation>本机没有安全的系统密钥环。请输入门店密码短语。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="162"/>
        <source>Store passphrase</source>
        <translation>门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="169"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="179"/>
        <source>Demo store: the passphrase is {0}</source>
        <translation>演示门店：密码短语为 {0}</translation>
    </message>
</context>
<context>
    <name>ReportsScreen</name>
    <message>
        <location filename="../../desktop/views/reports.py" line="26"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="34"/>
        <source>Appointments today</source>
        <translation>今日预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="35"/>
        <source>Checked in today</source>
        <translation>今日到店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="36"/>
        <source>Open repair tickets</source>
        <translation>未结维修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="37"/>
        <source>Ready for pickup</source>
        <translation>待取机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="38"/>
        <source>Open trade-in quotes</source>
        <translation>未结以旧换新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="39"/>
        <source>Loyalty members</source>
        <translation>会员人数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="40"/>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="57"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../desktop/views/settings.py" line="43"/>
        <source>This counter</source>
        <translation>本柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="48"/>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="51"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="52"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="56"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="57"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="61"/>
        <source>Headquarters</source>
        <translation>总部</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="63"/>
        <source>Not connected: this store works offline.</source>
        <translation>未连接：本门店处于离线工作模式。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="64"/>
        <source>Sync</source>
        <translation>同步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="68"/>
        <source>Store (managers)</source>
        <translation>门店（店长）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="71"/>
        <source>Lock counters after</source>
        <translation>柜台自动锁定时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="75"/>
        <source> min without input</source>
        <translation> 分钟无操作</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="77"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="86"/>
        <source>Locked accounts</source>
        <translation>已锁定的账户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="88"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="89"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="90"/>
        <source>PIN blocked</source>
        <translation>PIN 码已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="90"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="100"/>
        <source>Unlock selected account</source>
        <translation>解锁所选账户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="107"/>
        <source>Database (administrators)</source>
        <translation>数据库（管理员）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="111"/>
        <source>Store database</source>
        <translation>门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="112"/>
        <source>Back up now…</source>
        <translation>立即备份…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="125"/>
        <source>Sync &amp; settings</source>
        <translation>同步与设置</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="137"/>
        <source>key in the OS keyring</source>
        <translation>密钥保存在系统密钥环中</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="138"/>
        <source>key from the store passphrase</source>
        <translation>密钥由门店密码短语生成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="139"/>
        <source>Encrypted (SQLCipher)</source>
        <translation>已加密（SQLCipher）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="168"/>
        <source>Back up the store database</source>
        <translation>备份门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="169"/>
        <source>Orchard backups (*.orchard)</source>
        <translation>Orchard 备份 (*.orchard)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="179"/>
        <source>Backup</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="179"/>
        <source>The backup was written and is encrypted.</source>
        <translation>备份已写入，且已加密。</translation>
    </message>
</context>
<context>
    <name>SetupPage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="80"/>
        <source>Welcome to Orchard</source>
        <translation>欢迎使用 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="81"/>
        <source>Set up this store. You will sign in as its first administrator.</source>
        <translation>设置本门店。您将作为第一位管理员登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="86"/>
        <source>e.g. SH01</source>
        <translation>例如 SH01</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="103"/>
        <source>Store code</source>
        <translation>门店代码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="103"/>
        <source>Store name</source>
        <translation>门店名称</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="104"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="104"/>
        <source>Country</source>
        <translation>国家/地区</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="105"/>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="106"/>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="107"/>
        <source>Your PIN (4-8 digits)</source>
        <translation>您的 PIN 码（4-8 位数字）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="109"/>
        <source>Store passphrase</source>
        <translation>门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="120"/>
        <source>This computer has no secure keyring, so the store database is protected by this passphrase. Keep it safe: without it the data cannot be opened.</source>
        <translation>本机没有安全的系统密钥环，因此门店数据库由此密码短语保护。请妥善保管：没有它将无法打开数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="127"/>
        <source>Create store</source>
        <translation>创建门店</translation>
    </message>
</context>
<context>
    <name>ShellPage</name>
    <message>
        <location filename="../../desktop/shell.py" line="76"/>
        <source>Find a customer: name, phone, email, IMEI, member card (Ctrl+F)</source>
        <translation>查找客户：姓名、电话、邮箱、IMEI、会员卡号 (Ctrl+F)</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="302"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="313"/>
        <source>or type your staff number</source>
        <translation>或输入您的工号</translation>
    </message>
</context>
<context>
    <name>TradeInScreen</name>
    <message>
        <location filename="../../desktop/views/screens.py" line="99"/>
        <source>Trade-in</source>
        <translation>以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="103"/>
        <source>Quoted</source>
        <translation>报价时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="104"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="105"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="106"/>
        <source>Grade</source>
        <translation>成色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="107"/>
        <source>Value</source>
        <translation>估价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="109"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="110"/>
        <source>Expires</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/screens.py" line="117"/>
        <source>No trade-in quotes yet.</source>
        <translation>暂无以旧换新报价。</translation>
    </message>
</context>
</TS>
