<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../desktop/views/about.py" line="21"/>
        <source>About Orchard</source>
        <translation>关于 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/views/about.py" line="24"/>
        <source>Orchard</source>
        <translation>Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/views/about.py" line="27"/>
        <source>Point of service for electronics stores</source>
        <translation>电子产品门店收银与服务系统</translation>
    </message>
    <message>
        <location filename="../../desktop/views/about.py" line="28"/>
        <source>Version {0}</source>
        <translation>版本 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/about.py" line="37"/>
        <source>Python {0} · Qt {1}</source>
        <translation>Python {0} · Qt {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/about.py" line="52"/>
        <source>Sync stopped: this version ({0}) is older than the oldest HQ accepts ({1}); update Orchard</source>
        <translation>同步已停止：此版本（{0}）低于总部接受的最低版本（{1}）；请更新 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/views/about.py" line="55"/>
        <source>Update available: {0}</source>
        <translation>有可用更新：{0}</translation>
    </message>
</context>
<context>
    <name>ActionRow</name>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="169"/>
        <source>Accept</source>
        <translation>接受</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="171"/>
        <source>Dismiss</source>
        <translation>忽略</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="173"/>
        <source>Accept: {0}</source>
        <translation>接受：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="173"/>
        <source>Dismiss: {0}</source>
        <translation>忽略：{0}</translation>
    </message>
</context>
<context>
    <name>AdjustDialog</name>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="175"/>
        <source>Adjust points</source>
        <translation>调整积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="183"/>
        <source>Why: goodwill, a correction, settling a negative balance</source>
        <translation>原因：补偿、更正、结清负余额</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="184"/>
        <source>Points (+ or −)</source>
        <translation>积分（+ 或 −）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="185"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="186"/>
        <source>Adjustments are recorded with your name in the audit trail.</source>
        <translation>调整会连同您的姓名记入审计记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="190"/>
        <source>Adjust</source>
        <translation>调整</translation>
    </message>
</context>
<context>
    <name>AdminPage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="267"/>
        <source>The first administrator</source>
        <translation>第一位管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="268"/>
        <source>You sign in with this account to add the other staff. The PIN is for quick sign-in at the counter; the password always works.</source>
        <translation>您用此账号登录并添加其他员工。PIN 用于在柜台快速登录；密码始终可用。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="278"/>
        <source>Your name</source>
        <translation>您的姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="279"/>
        <source>Your staff number</source>
        <translation>您的员工编号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="280"/>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="281"/>
        <source>The password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="282"/>
        <source>Your PIN (4-8 digits)</source>
        <translation>您的 PIN（4-8 位数字）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="301"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>AdminResetDialog</name>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="43"/>
        <source>Forgot the admin password?</source>
        <translation>忘记管理员密码？</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="48"/>
        <source>An administrator who is locked out or has forgotten the password can set a new one with the store&apos;s recovery key, or with a one-time reset code from headquarters. The change is recorded in the audit trail.</source>
        <translation>被锁定或忘记密码的管理员，可以用门店的恢复密钥或总部发放的一次性重置码设置新密码。此项更改会记入审计记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="59"/>
        <source>Administrator&apos;s staff number</source>
        <translation>管理员工号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="60"/>
        <source>The store&apos;s recovery key</source>
        <translation>门店恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="62"/>
        <source>A reset code from headquarters</source>
        <translation>总部发放的重置码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="73"/>
        <source>Proof</source>
        <translation>验证方式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="86"/>
        <source>New password</source>
        <translation>新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="87"/>
        <source>New password again</source>
        <translation>再次输入新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="100"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="103"/>
        <source>Set the new password</source>
        <translation>设置新密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="108"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="119"/>
        <source>Reset code</source>
        <translation>重置码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="119"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/admin_reset.py" line="169"/>
        <source>A new password is set for staff number {0}, and the account is unlocked. Sign in with the new password.</source>
        <translation>已为工号 {0} 设置新密码，账户已解锁。请用新密码登录。</translation>
    </message>
</context>
<context>
    <name>AppointmentsScreen</name>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="89"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="281"/>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="68"/>
        <source>New booking</source>
        <translation>新建预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="70"/>
        <source>Book an appointment (Ctrl+N)</source>
        <translation>新建预约 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="74"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="76"/>
        <source>Load the day again (F5)</source>
        <translation>重新载入当天 (F5)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="91"/>
        <source>Previous day (Ctrl+PgUp)</source>
        <translation>前一天 (Ctrl+PgUp)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="93"/>
        <source>Next day (Ctrl+PgDown)</source>
        <translation>后一天 (Ctrl+PgDown)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="95"/>
        <source>Today (Ctrl+Home)</source>
        <translation>今天 (Ctrl+Home)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="108"/>
        <source>Calendar</source>
        <translation>日历</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="112"/>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="183"/>
        <source>Check in</source>
        <translation>到店登记</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="185"/>
        <source>The customer is here (Ctrl+I)</source>
        <translation>顾客已到店 (Ctrl+I)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="187"/>
        <source>Start</source>
        <translation>开始服务</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="188"/>
        <source>The technician starts the service (Ctrl+Shift+S)</source>
        <translation>技术员开始服务 (Ctrl+Shift+S)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="190"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="191"/>
        <source>Finished (Ctrl+Shift+D)</source>
        <translation>服务完成 (Ctrl+Shift+D)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="193"/>
        <source>No-show</source>
        <translation>未到店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="195"/>
        <source>Move…</source>
        <translation>改约…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="196"/>
        <source>Another time or technician (Ctrl+M)</source>
        <translation>换时间或技术员 (Ctrl+M)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="198"/>
        <source>Cancel…</source>
        <translation>取消…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="199"/>
        <source>Cancel the appointment (Ctrl+Delete)</source>
        <translation>取消预约 (Ctrl+Delete)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="225"/>
        <source>waiting</source>
        <translation>等候中</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="226"/>
        <source>average wait</source>
        <translation>平均等候</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="333"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="260"/>
        <source>Day</source>
        <translation>当天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="109"/>
        <source>Technicians side by side ({0})</source>
        <translation>技术员并排显示（{0}）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="114"/>
        <source>The day as a list for the counter ({0})</source>
        <translation>以列表显示当天预约，供柜台使用（{0}）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="260"/>
        <source>Rota and rules</source>
        <translation>排班与规则</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="278"/>
        <source>Select an appointment. To move it, drag the block, or press Alt+arrows and then Enter.</source>
        <translation>请选择一个预约。要改约，可拖动色块，或按 Alt+方向键后按回车。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="328"/>
        <source>today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="366"/>
        <source>{0} · {1} · {2} · {3} · {4}</source>
        <translation>{0} · {1} · {2} · {3} · {4}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="368"/>
        <source>not assigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="377"/>
        <source>The customer did not come (Ctrl+Shift+N)</source>
        <translation>顾客未到店 (Ctrl+Shift+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="378"/>
        <source>Possible from {0}, after the grace period</source>
        <translation>宽限期过后，{0} 起可标记</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="426"/>
        <source>Cancel appointment</source>
        <translation>取消预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/screen.py" line="427"/>
        <source>Cancel {0} at {1}?</source>
        <translation>取消 {1} 的{0}？</translation>
    </message>
</context>
<context>
    <name>ApprovalTab</name>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="35"/>
        <source>What the customer said (optional)</source>
        <translation>客户的答复（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="36"/>
        <source>Answer came</source>
        <translation>答复方式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="37"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="41"/>
        <source>Show on the customer display</source>
        <translation>在顾客显示屏上显示</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="48"/>
        <source>Customer refused</source>
        <translation>客户拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="50"/>
        <source>Customer approved</source>
        <translation>客户同意</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="61"/>
        <source>{0} {1}, {2}.</source>
        <translation>{0}（{1}），{2}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="62"/>
        <source>Approved</source>
        <translation>已同意</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="62"/>
        <source>Refused</source>
        <translation>已拒绝</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="65"/>
        <source>Quote {0} is above the customer&apos;s approval limit of {1}. Record their answer.</source>
        <translation>报价 {0} 超出客户的授权额度 {1}。请记录客户的答复。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="68"/>
        <source>No approval needed yet.</source>
        <translation>暂不需要客户确认。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/approval_tab.py" line="70"/>
        <source>Quote {0}.</source>
        <translation>报价 {0}。</translation>
    </message>
</context>
<context>
    <name>AuditScreen</name>
    <message>
        <location filename="../../desktop/views/audit.py" line="52"/>
        <source>Export for auditor…</source>
        <translation>导出给审计员…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="59"/>
        <source>Everyone</source>
        <translation>所有人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="62"/>
        <source>Any record</source>
        <translation>任意记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="67"/>
        <source>Record id</source>
        <translation>记录编号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="71"/>
        <source>Any action</source>
        <translation>任意操作</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="78"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="82"/>
        <location filename="../../desktop/views/audit.py" line="94"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="82"/>
        <location filename="../../desktop/views/audit.py" line="96"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="83"/>
        <location filename="../../desktop/views/audit.py" line="95"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="84"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="84"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="93"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="97"/>
        <source>Detail</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="104"/>
        <source>Previous</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="107"/>
        <source>Next</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="125"/>
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="194"/>
        <source>{0}–{1} of {2}</source>
        <translation>第 {0}–{1} 条，共 {2} 条</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="195"/>
        <source>No entries</source>
        <translation>没有记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="196"/>
        <source>{0} entries</source>
        <translation>{0} 条记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="216"/>
        <location filename="../../desktop/views/audit.py" line="244"/>
        <source>Export for auditor</source>
        <translation>导出给审计员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="216"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="240"/>
        <source>not checked (checking the chain needs an administrator)</source>
        <translation>未校验（校验记录链需要管理员）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="241"/>
        <source>intact ({0} entries)</source>
        <translation>完好（{0} 条记录）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="242"/>
        <source>broken at entry {0}</source>
        <translation>在第 {0} 条记录处断裂</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="245"/>
        <source>{0} entries were written to {1}.</source>
        <translation>已将 {0} 条记录写入 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/audit.py" line="246"/>
        <source>Chain check: {0}</source>
        <translation>链校验：{0}</translation>
    </message>
</context>
<context>
    <name>BackupPage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="93"/>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="94"/>
        <source>Orchard backs the store up every day, encrypted, into this folder. A USB disk or a network share keeps the backups safe when this computer fails.</source>
        <translation>Orchard 每天将门店数据加密备份到此文件夹。使用 U 盘或网络共享文件夹，可在这台电脑损坏时保住备份。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="99"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="107"/>
        <location filename="../../desktop/views/setup/pages_machine.py" line="112"/>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
</context>
<context>
    <name>BackupPanel</name>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="65"/>
        <source>The last backup failed ({when}): {reason}. Until a backup succeeds the store&apos;s data is not protected: see Sync &amp; settings, Backups.</source>
        <translation>上次备份失败（{when}）：{reason}。在备份成功之前，门店数据没有保护：请查看“同步与设置”中的“备份”。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="70"/>
        <source>No backup since {when}: back up now in Sync &amp; settings, Backups.</source>
        <translation>自 {when} 起没有备份：请在“同步与设置”的“备份”中立即备份。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="74"/>
        <source>This store has not been backed up yet: back up now in Sync &amp; settings, Backups.</source>
        <translation>本门店尚未备份：请在“同步与设置”的“备份”中立即备份。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="83"/>
        <source>{customers} customers, {tickets} repair tickets, {appointments} appointments, {loyalty} loyalty entries</source>
        <translation>{customers} 位客户、{tickets} 张维修单、{appointments} 个预约、{loyalty} 条积分记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="94"/>
        <source>The store database is as it was at {when}.</source>
        <translation>门店数据库已恢复到 {when} 时的状态。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="96"/>
        <source>The store database will be as it was at {when}.</source>
        <translation>门店数据库将恢复到 {when} 时的状态。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="99"/>
        <source>This store does not sync with HQ: everything done after the backup is lost.</source>
        <translation>本门店不与总部同步：备份之后所做的一切都已丢失。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="101"/>
        <source>This store does not sync with HQ: everything done after the backup will be lost.</source>
        <translation>本门店不与总部同步：备份之后所做的一切都将丢失。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="104"/>
        <source>Changes that reached HQ after the backup come back with the next sync.</source>
        <translation>备份之后已到达总部的更改会在下次同步时取回。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="107"/>
        <source>{n} changes made before the backup had not reached HQ then: they go with the next sync, and HQ skips any it already has.</source>
        <translation>备份前的 {n} 项更改当时尚未到达总部：它们会在下次同步时发送，总部会跳过已有的更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="111"/>
        <source>{n} changes made here never reached HQ and were not in the backup: they are lost.</source>
        <translation>本机的 {n} 项更改从未到达总部，也不在备份中：它们已丢失。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="113"/>
        <source>{n} changes made here never reached HQ and are not in the backup: they will be lost.</source>
        <translation>本机的 {n} 项更改从未到达总部，也不在备份中：它们将会丢失。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="208"/>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="218"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="224"/>
        <source>Backup folder</source>
        <translation>备份文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="228"/>
        <source> h</source>
        <translation> 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="229"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="236"/>
        <source>Back up every</source>
        <translation>备份间隔</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="240"/>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="243"/>
        <source>Back up to another folder…</source>
        <translation>备份到其他文件夹…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="255"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="256"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="257"/>
        <source>Repair tickets</source>
        <translation>维修单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="258"/>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="259"/>
        <source>Loyalty entries</source>
        <translation>积分记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="260"/>
        <source>Not yet synced</source>
        <translation>尚未同步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="261"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="318"/>
        <source>checked; restores only on this computer</source>
        <translation>已校验；只能在这台电脑上恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="319"/>
        <source>checked</source>
        <translation>已校验</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="525"/>
        <source>Waiting for the sync or backup in progress to finish; the restore starts then.</source>
        <translation>正在等待进行中的同步或备份完成；完成后即开始恢复。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="316"/>
        <source>cannot be used</source>
        <translation>无法使用</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="52"/>
        <source>This store has no recovery key: backups can only be restored on this computer until an admin makes a recovery key in Sync &amp; settings, Database key and recovery key.</source>
        <translation>本门店没有恢复密钥：在管理员于“同步与设置”的“数据库密钥和恢复密钥”中生成恢复密钥之前，备份只能在这台电脑上恢复。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="273"/>
        <source>Restore…</source>
        <translation>恢复…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="276"/>
        <source>Restore from a file…</source>
        <translation>从文件恢复…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="358"/>
        <source>The last backup failed ({when}): {reason}</source>
        <translation>上次备份失败（{when}）：{reason}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="361"/>
        <source>Last successful backup: {when}.</source>
        <translation>上次成功备份：{when}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="364"/>
        <source>No backup has been made yet.</source>
        <translation>尚未进行过备份。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="367"/>
        <source>Last successful backup: {when} ({ago} ago). A backup is overdue.</source>
        <translation>上次成功备份：{when}（{ago}前）。备份已逾期。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="369"/>
        <source>Last successful backup: {when} ({ago} ago).</source>
        <translation>上次成功备份：{when}（{ago}前）。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="380"/>
        <source>Choose the backup folder</source>
        <translation>选择备份文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="416"/>
        <source>Backup written and checked: {name} ({counts}).</source>
        <translation>备份已写入并校验：{name}（{counts}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="429"/>
        <source>Back up to this folder</source>
        <translation>备份到此文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="439"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="439"/>
        <source>Choose a backup in the list first.</source>
        <translation>请先在列表中选择一个备份。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="444"/>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="445"/>
        <source>Orchard backups (*.orchard)</source>
        <translation>Orchard 备份 (*.orchard)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="498"/>
        <source>The database as it was before is kept as {name}.</source>
        <translation>恢复前的数据库已保留为 {name}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="502"/>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
</context>
<context>
    <name>Bench</name>
    <message>
        <location filename="../../desktop/views/bench/_common.py" line="32"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/_common.py" line="35"/>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/_common.py" line="36"/>
        <source>{0} d {1} h</source>
        <translation>{0} 天 {1} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/_common.py" line="40"/>
        <source>A ticket that is {0} cannot become {1}.</source>
        <translation>状态为“{0}”的工单不能改为“{1}”。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/_common.py" line="47"/>
        <source>Not possible now</source>
        <translation>暂时无法操作</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="38"/>
        <source>My queue</source>
        <translation>我的队列</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="39"/>
        <source>Assigned to me</source>
        <translation>指派给我</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="40"/>
        <source>Unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="41"/>
        <source>By status</source>
        <translation>按状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="42"/>
        <source>Store-wide</source>
        <translation>全店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="90"/>
        <source>Void pickup</source>
        <translation>撤销取机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="91"/>
        <source>The ticket goes back to ready for pickup; the payment and any points earned on it are reversed.</source>
        <translation>工单退回“待取机”；付款及因此获得的积分将被冲销。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="93"/>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="102"/>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="123"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="99"/>
        <source>Void payment</source>
        <translation>撤销付款</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="100"/>
        <source>The payment is reversed and any points earned on it are taken back; the device stays with the customer.</source>
        <translation>付款被冲销，因此获得的积分将被收回；设备仍由顾客保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="108"/>
        <source>Returned under warranty</source>
        <translation>保修期内返修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="109"/>
        <source>A new rework ticket for the same device, linked to this one and not charged by default.</source>
        <translation>为同一设备新建一张返修工单，与本工单关联，默认不收费。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="111"/>
        <source>What is wrong now</source>
        <translation>现在的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="120"/>
        <source>Manager override</source>
        <translation>店长特批交付</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/corrections_dialog.py" line="121"/>
        <source>The device is handed over without the intake receipt or the phone&apos;s last four digits. The reason is kept in the ticket&apos;s history.</source>
        <translation>在没有收件单据或手机号后四位的情况下交付设备。原因将记录在维修单的历史中。</translation>
    </message>
</context>
<context>
    <name>BenchScreen</name>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="107"/>
        <source>Ticket no. or scan</source>
        <translation>工单号或扫码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="113"/>
        <source>New intake</source>
        <translation>新建收机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="116"/>
        <source>Take in a device (Ctrl+N)</source>
        <translation>接收维修设备 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="165"/>
        <source>Bench</source>
        <translation>维修台</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="170"/>
        <source>Ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="171"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="172"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="173"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="174"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="174"/>
        <location filename="../../desktop/views/bench/screen.py" line="223"/>
        <location filename="../../desktop/views/bench/screen.py" line="224"/>
        <source>unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="175"/>
        <source>Age</source>
        <translation>已开单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="176"/>
        <source>Due</source>
        <translation>预计完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="176"/>
        <source>overdue · {0}</source>
        <translation>已超期 · {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="217"/>
        <source>{0} tickets, {1} overdue</source>
        <translation>{0} 张工单，{1} 张已超期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="218"/>
        <source>{0} tickets</source>
        <translation>{0} 张工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="219"/>
        <source>No tickets here.</source>
        <translation>这里没有工单。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="223"/>
        <source>{0}: {1} ({2} overdue)</source>
        <translation>{0}：{1}（{2} 张超期）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="224"/>
        <source>{0}: {1}</source>
        <translation>{0}：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/screen.py" line="226"/>
        <source>Open {0} · overdue {1}</source>
        <translation>未结 {0} · 超期 {1}</translation>
    </message>
</context>
<context>
    <name>BookingDialog</name>
    <message>
        <location filename="../../desktop/views/booking.py" line="75"/>
        <source>Move appointment</source>
        <translation>改约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="75"/>
        <source>Book an appointment</source>
        <translation>新建预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="90"/>
        <source>Name of the person booking</source>
        <translation>预约人姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="92"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="96"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="100"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="103"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="112"/>
        <source>Previous day</source>
        <translation>前一天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="113"/>
        <source>Next day</source>
        <translation>后一天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="123"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="140"/>
        <location filename="../../desktop/views/booking.py" line="143"/>
        <source>Free times</source>
        <translation>可约时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="155"/>
        <source>Device, fault, anything the technician should know</source>
        <translation>设备、故障，以及技术员需要知道的情况</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="157"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="161"/>
        <source>Move</source>
        <translation>改约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="161"/>
        <source>Book</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="208"/>
        <source>{0} · {1} min · {2}</source>
        <translation>{0} · {1} 分钟 · {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="226"/>
        <source>Least busy technician</source>
        <translation>最空闲的技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="267"/>
        <source>{0}–{1} with {2}</source>
        <translation>{0}–{1}，技术员 {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="271"/>
        <source>No free time on this day. Try another day or technician.</source>
        <translation>当天没有空档。请换一天或换一位技术员。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="285"/>
        <source>{0}, {1}–{2} with {3}</source>
        <translation>{0}，{1}–{2}，技术员 {3}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="328"/>
        <source>That time was just taken.</source>
        <translation>这个时间刚被约走了。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/booking.py" line="330"/>
        <source>Next free: {0}</source>
        <translation>最近的空档：{0}</translation>
    </message>
</context>
<context>
    <name>BusyPage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="385"/>
        <source>One moment</source>
        <translation>请稍候</translation>
    </message>
</context>
<context>
    <name>CallForm</name>
    <message>
        <location filename="../../desktop/views/care/call.py" line="65"/>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/call.py" line="68"/>
        <source>Outcome</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/call.py" line="71"/>
        <source>What was said (optional)</source>
        <translation>通话内容（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/call.py" line="72"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/call.py" line="77"/>
        <source>Record the call</source>
        <translation>记录回访</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/call.py" line="90"/>
        <source>Call by {0}</source>
        <translation>请在 {0} 前致电</translation>
    </message>
</context>
<context>
    <name>CardView</name>
    <message>
        <location filename="../../desktop/views/loyalty/card.py" line="62"/>
        <source>Member card {0}</source>
        <translation>会员卡 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/card.py" line="92"/>
        <source>Orchard Rewards</source>
        <translation>Orchard 会员计划</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/card.py" line="120"/>
        <source>Member number</source>
        <translation>会员号</translation>
    </message>
</context>
<context>
    <name>CareScreen</name>
    <message>
        <location filename="../../desktop/views/care/screen.py" line="33"/>
        <source>Record a complaint…</source>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/screen.py" line="51"/>
        <source>Customer care</source>
        <translation>客户关怀</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/screen.py" line="69"/>
        <source>{0} due · {1} overdue</source>
        <translation>{0} 项待办 · {1} 项逾期</translation>
    </message>
</context>
<context>
    <name>ComplaintDialog</name>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="39"/>
        <source>Record a complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="54"/>
        <source>How it came</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="59"/>
        <source>The customer&apos;s words, as they said them</source>
        <translation>客户的原话，照实记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="60"/>
        <source>The customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="61"/>
        <source>Complaint</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="63"/>
        <source>A manager classifies it within 24 hours and follows it up.</source>
        <translation>经理会在 24 小时内为其分类并跟进。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="70"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/complaint_dialog.py" line="73"/>
        <source>Record</source>
        <translation>登记</translation>
    </message>
</context>
<context>
    <name>ComplaintPanel</name>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="100"/>
        <source>← Due list</source>
        <translation>← 待办列表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="140"/>
        <source>The customer&apos;s words</source>
        <translation>客户原话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="149"/>
        <source>Clocks</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="152"/>
        <source>Classify by</source>
        <translation>分类期限</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="152"/>
        <source>Resolve by</source>
        <translation>解决期限</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="153"/>
        <location filename="../../desktop/views/care/detail.py" line="237"/>
        <source>Region</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="164"/>
        <location filename="../../desktop/views/care/detail.py" line="181"/>
        <location filename="../../desktop/views/care/detail.py" line="286"/>
        <source>Classify</source>
        <translation>分类</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="174"/>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="177"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="178"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="184"/>
        <source>Escalate to the region</source>
        <translation>上报区域</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="191"/>
        <location filename="../../desktop/views/care/detail.py" line="204"/>
        <source>Resolve</source>
        <translation>解决</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="199"/>
        <source>What was done for the customer</source>
        <translation>为客户做了什么</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="212"/>
        <source>Notes</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="215"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="216"/>
        <source>Who</source>
        <translation>经手人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="217"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="230"/>
        <source>Add a note…</source>
        <translation>添加备注…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="237"/>
        <source>Region ({0})</source>
        <translation>区域（{0}）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="243"/>
        <source>Classified</source>
        <translation>已分类</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="243"/>
        <source>Escalated</source>
        <translation>已上报</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="243"/>
        <source>Resolved</source>
        <translation>已解决</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="244"/>
        <source>Closed after the call</source>
        <translation>回访后结案</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="244"/>
        <source>Reopened after the call</source>
        <translation>回访后重新处理</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="269"/>
        <source>No customer named</source>
        <translation>未指明客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="271"/>
        <source>opened {0}</source>
        <translation>登记于 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="275"/>
        <source>ticket {0}</source>
        <translation>工单 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="277"/>
        <source>Hidden for your role</source>
        <translation>已对您的角色隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="277"/>
        <source>(no words: a low survey answer)</source>
        <translation>（无文字：问卷低分）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="279"/>
        <source>Resolution: {0}</source>
        <translation>处理结果：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="286"/>
        <source>Classify again</source>
        <translation>重新分类</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="306"/>
        <source>classified {0}</source>
        <translation>已于 {0} 分类</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="310"/>
        <source>resolved {0}</source>
        <translation>已于 {0} 解决</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="314"/>
        <source>set when it is classified</source>
        <translation>分类后确定</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="318"/>
        <source>to be sent to the region at the next sync</source>
        <translation>将在下次同步时上报区域</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="320"/>
        <source>not escalated</source>
        <translation>未上报</translation>
    </message>
</context>
<context>
    <name>CoreMessages</name>
    <message>
        <location filename="../../desktop/core_messages.py" line="7"/>
        <source>Find My / activation lock is on: the owner must remove the device from their account</source>
        <translation>“查找”/激活锁已开启：需由机主将设备从其账户中移除</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="8"/>
        <source>HQ accepted the enrolment code, but the set-up could not finish here and nothing was kept: ask HQ for a new enrolment code for this store, then try again</source>
        <translation>总部已接受注册码，但此处设置未能完成，未保留任何内容：请向总部申请此门店的新注册码，然后重试</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="9"/>
        <source>HQ cannot be reached; work continues offline</source>
        <translation>无法连接总部，可继续离线工作</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="10"/>
        <source>HQ could not accept this request ({status}); nothing was changed</source>
        <translation>总部无法接受此请求（{status}），未做任何更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="11"/>
        <source>HQ had a problem answering; sync will retry</source>
        <translation>总部响应出错，稍后将自动重试同步</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="12"/>
        <source>HQ keeps no currency for this store: choose one</source>
        <translation>总部没有此门店的货币：请选择一种</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="13"/>
        <source>HQ keeps no time zone for this store: choose one</source>
        <translation>总部没有此门店的时区：请选择一个</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="14"/>
        <source>HQ refused this store&apos;s credential; enrol the store again</source>
        <translation>总部拒绝了本门店的凭据，请重新接入总部</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="15"/>
        <source>HQ refused: too many look-ups from this store this hour; try again in {minutes} minutes</source>
        <translation>总部拒绝：本店本小时查询次数过多，请在 {minutes} 分钟后重试</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="16"/>
        <source>HQ&apos;s answer was garbled; sync will retry</source>
        <translation>总部返回的数据无法识别，稍后将自动重试同步</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="17"/>
        <source>HQ&apos;s answer was garbled; try again</source>
        <translation>总部的回复无法识别，请重试</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="18"/>
        <source>HQ&apos;s certificate is not trusted (check the CA file); nothing was sent</source>
        <translation>总部的证书不受信任（请检查 CA 证书文件），未发送任何数据</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="19"/>
        <source>Orchard cannot write to this folder; choose another one</source>
        <translation>Orchard 无法写入此文件夹；请选择其他文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="20"/>
        <source>a break must lie within the working hours</source>
        <translation>休息时间必须在工作时间之内</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="21"/>
        <source>a database already exists at this location; it was left untouched</source>
        <translation>此位置已有数据库，未作任何改动</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="22"/>
        <source>a name is required</source>
        <translation>请填写姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="23"/>
        <source>a no-show can be marked {n} minutes after the start</source>
        <translation>开始 {n} 分钟后才能标记为未到店</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="24"/>
        <source>a part of this repair is not reserved</source>
        <translation>此维修有配件尚未预留</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="25"/>
        <source>a quantity must be between 1 and {n}</source>
        <translation>数量必须在 1 到 {n} 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="26"/>
        <source>a quote is made while the ticket is being diagnosed</source>
        <translation>只能在工单检测中时报价</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="27"/>
        <source>a recovery key has {groups} groups of {size} characters</source>
        <translation>恢复密钥共 {groups} 组，每组 {size} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="28"/>
        <source>a remote clock is {amount} ms ahead of this one; refusing the change</source>
        <translation>另一台设备的时钟比本机快 {amount} 毫秒，已拒绝此更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="29"/>
        <source>a remote clock is {amount} s ahead of this one; refusing the change</source>
        <translation>另一台设备的时钟比本机快 {amount} 秒，已拒绝此更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="30"/>
        <source>a report covers at most {n} days</source>
        <translation>报表最多涵盖 {n} 天</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="31"/>
        <source>a rework ticket is already open for this repair</source>
        <translation>此维修已有一张未完成的返修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="32"/>
        <source>a rework ticket was opened for this repair: its pickup stays</source>
        <translation>此维修已开立返修工单，其取机记录不能撤销</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="33"/>
        <source>a sale has at most {n} lines</source>
        <translation>一笔销售最多 {n} 行</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="34"/>
        <source>a sale needs at least one line</source>
        <translation>一笔销售至少需要一行</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="35"/>
        <source>a sale&apos;s total must not be negative</source>
        <translation>销售总额不能为负</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="36"/>
        <source>a skill is a word of at most {n} letters or digits</source>
        <translation>技能是最多 {n} 个字母或数字的词</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="37"/>
        <source>a store database&apos;s key information file already exists at this location; it was left untouched (move it away to create a new store here)</source>
        <translation>此位置已有门店数据库的密钥信息文件，未作任何改动（如需在此新建门店，请先将其移走）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="38"/>
        <source>a store passphrase is needed to open the database</source>
        <translation>需要门店密码短语才能打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="39"/>
        <source>a sync is already running</source>
        <translation>同步已在进行中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="40"/>
        <source>a ticket that is {current} cannot become {target}</source>
        <translation>状态为 {current} 的工单不能改为 {target}</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="41"/>
        <source>answer at least one of the two questions</source>
        <translation>请至少回答两个问题中的一个</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="42"/>
        <source>answer every check</source>
        <translation>请完成所有检查项</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="43"/>
        <source>appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="44"/>
        <source>are not valid loyalty rules</source>
        <translation>不是有效的会员规则</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="45"/>
        <source>belongs to another customer</source>
        <translation>属于其他顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="46"/>
        <source>care task</source>
        <translation>回访任务</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="47"/>
        <source>check digit does not match</source>
        <translation>校验位不正确</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="48"/>
        <source>choose a category</source>
        <translation>请选择类别</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="49"/>
        <source>choose a folder for the backups</source>
        <translation>请选择备份文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="50"/>
        <source>choose a service</source>
        <translation>请选择服务</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="51"/>
        <source>choose a severity</source>
        <translation>请选择严重程度</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="52"/>
        <source>choose a status</source>
        <translation>请选择状态</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="53"/>
        <source>choose how the call went</source>
        <translation>请选择回访结果</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="54"/>
        <source>choose how the customer paid</source>
        <translation>请选择客户的付款方式</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="55"/>
        <source>choose the escalation&apos;s priority</source>
        <translation>请选择升级处理的优先级</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="56"/>
        <source>choose two different customers</source>
        <translation>请选择两位不同的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="57"/>
        <source>choose what kind of escalation this is</source>
        <translation>请选择升级处理的类型</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="58"/>
        <source>choose where the complaint came from</source>
        <translation>请选择投诉来源</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="59"/>
        <source>classify the complaint before resolving it</source>
        <translation>请先为投诉分类再处理结案</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="60"/>
        <source>complaint</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="61"/>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="62"/>
        <source>describe the fault as the customer tells it</source>
        <translation>请按客户的描述填写故障</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="63"/>
        <source>describe what you found</source>
        <translation>请填写检测结果</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="64"/>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="65"/>
        <source>diagnosis starts on a new ticket</source>
        <translation>只有新建的工单才能开始检测</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="66"/>
        <source>does not have the skill this service needs</source>
        <translation>不具备此服务所需的技能</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="67"/>
        <source>e-mails need an e-mail address</source>
        <translation>发电子邮件需要邮箱地址</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="68"/>
        <source>earns no points</source>
        <translation>不产生积分</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="69"/>
        <source>enter the administrator&apos;s staff number</source>
        <translation>请输入管理员的工号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="70"/>
        <source>enter the recovery key</source>
        <translation>请输入恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="71"/>
        <source>enter the recovery key or a reset code from HQ</source>
        <translation>请输入恢复密钥或总部提供的重置码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="72"/>
        <source>enter the recovery key or a reset code from HQ, not both</source>
        <translation>请输入恢复密钥或总部提供的重置码，二者只填其一</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="73"/>
        <source>enter the store passphrase to open the database</source>
        <translation>请输入门店密码短语以打开数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="74"/>
        <source>enter your PIN or password</source>
        <translation>请输入 PIN 码或密码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="75"/>
        <source>give a phone number, an email address or a member number</source>
        <translation>请提供电话号码、电子邮件地址或会员号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="76"/>
        <source>give the reason for handing over without proof</source>
        <translation>请说明未经身份核验即交付的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="77"/>
        <source>give the reason for the adjustment</source>
        <translation>请填写调整原因</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="78"/>
        <source>give the reason for voiding the payment</source>
        <translation>请说明撤销付款的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="79"/>
        <source>give the reason for voiding the pickup</source>
        <translation>请说明撤销取机的原因</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="80"/>
        <source>give the whole path of the backup folder</source>
        <translation>请填写备份文件夹的完整路径</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="81"/>
        <source>has an unknown country code</source>
        <translation>国家/地区代码无效</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="82"/>
        <source>has more decimals than {currency} allows</source>
        <translation>小数位数超过 {currency} 允许的位数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="83"/>
        <source>is already in use</source>
        <translation>已被使用</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="84"/>
        <source>is in the future</source>
        <translation>是未来的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="85"/>
        <source>is longer than a bookable appointment</source>
        <translation>超过可预约的时长</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="86"/>
        <source>is more than the member&apos;s balance</source>
        <translation>超过会员的积分余额</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="87"/>
        <source>is not a board view</source>
        <translation>不是有效的看板视图</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="88"/>
        <source>is not a customer field</source>
        <translation>不是客户资料字段</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="89"/>
        <source>is not a customer of this database</source>
        <translation>不是本数据库中的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="90"/>
        <source>is not a day of the week or a kind of shift</source>
        <translation>不是有效的星期或班次类型</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="91"/>
        <source>is not a kind of shift</source>
        <translation>不是有效的班次类型</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="92"/>
        <source>is not a known channel</source>
        <translation>不是已知的渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="93"/>
        <source>is not a known check</source>
        <translation>不是已知的检查项</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="94"/>
        <source>is not a known consent purpose</source>
        <translation>不是已知的授权用途</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="95"/>
        <source>is not a known currency code</source>
        <translation>不是已知的货币代码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="96"/>
        <source>is not a known kind of device</source>
        <translation>不是已知的设备类型</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="97"/>
        <source>is not a known role</source>
        <translation>不是有效的角色</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="98"/>
        <source>is not a known segment</source>
        <translation>不是已知的客户分群</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="99"/>
        <source>is not a known source</source>
        <translation>不是已知的来源</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="100"/>
        <source>is not a known suggestion</source>
        <translation>不是已知的建议</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="101"/>
        <source>is not a known time zone</source>
        <translation>不是有效的时区</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="102"/>
        <source>is not a known value band</source>
        <translation>不是已知的价值等级</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="103"/>
        <source>is not a language Orchard speaks</source>
        <translation>不是 Orchard 支持的语言</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="104"/>
        <source>is not a language the display offers</source>
        <translation>不是客户显示屏提供的语言</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="105"/>
        <source>is not a member number</source>
        <translation>不是会员号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="106"/>
        <source>is not a payment status</source>
        <translation>不是有效的付款状态</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="107"/>
        <source>is not a payout this price book offers</source>
        <translation>不是此价目表提供的结算方式</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="108"/>
        <source>is not a phone number</source>
        <translation>不是有效的电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="109"/>
        <source>is not a picture of a signature</source>
        <translation>不是有效的签名图片</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="110"/>
        <source>is not a printer name</source>
        <translation>不是有效的打印机名称</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="111"/>
        <source>is not a question of this price book</source>
        <translation>不是此价目表中的问题</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="112"/>
        <source>is not a record of this store</source>
        <translation>不是本店的记录</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="113"/>
        <source>is not a set-up answer</source>
        <translation>不是设置项</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="114"/>
        <source>is not a store id</source>
        <translation>不是有效的门店 ID</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="115"/>
        <source>is not a supported language</source>
        <translation>不是支持的语言</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="116"/>
        <source>is not a supported step</source>
        <translation>不是支持的时间间隔</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="117"/>
        <source>is not a ticket status</source>
        <translation>不是有效的工单状态</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="118"/>
        <source>is not a way customers answer</source>
        <translation>不是有效的客户答复方式</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="119"/>
        <source>is not a way to contact a customer</source>
        <translation>不是可用的联系方式</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="120"/>
        <source>is not a way we contact customers</source>
        <translation>不是有效的客户联系方式</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="121"/>
        <source>is not active staff of this store</source>
        <translation>不是本店在职员工</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="122"/>
        <source>is not an amount</source>
        <translation>不是有效金额</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="123"/>
        <source>is not one of the answers</source>
        <translation>不是可选答案之一</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="124"/>
        <source>is not one of the listed answers</source>
        <translation>不在所列答案之中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="125"/>
        <source>is not something that earns points</source>
        <translation>不是可积分的项目</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="126"/>
        <source>is not the customer of the appointment</source>
        <translation>不是该预约的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="127"/>
        <source>is not the sum of the lines</source>
        <translation>不等于各行之和</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="128"/>
        <source>is out of range</source>
        <translation>超出范围</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="129"/>
        <source>is outside the technician&apos;s working hours or the opening hours</source>
        <translation>不在技术员的工作时间或门店营业时间内</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="130"/>
        <source>is required</source>
        <translation>为必填项</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="131"/>
        <source>is too large</source>
        <translation>太大</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="132"/>
        <source>is too long</source>
        <translation>太长</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="133"/>
        <source>is too short</source>
        <translation>太短</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="134"/>
        <source>list each part once</source>
        <translation>每个配件只能列出一次</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="135"/>
        <source>look up by one key at a time: a phone number, an email address or a member number</source>
        <translation>一次只能按一项查询：电话号码、电子邮件地址或会员号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="136"/>
        <source>loyalty account</source>
        <translation>会员账户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="137"/>
        <source>loyalty member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="138"/>
        <source>may contain only digits, spaces, dashes and slashes</source>
        <translation>只能包含数字、空格、短横线和斜杠</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="139"/>
        <source>may contain only letters A-Z, digits and dashes</source>
        <translation>只能包含字母 A-Z、数字和短横线</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="140"/>
        <source>model</source>
        <translation>型号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="141"/>
        <source>must be 1 to 20 characters</source>
        <translation>须为 1 至 20 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="142"/>
        <source>must be 1 to 24 letters, digits or underscores</source>
        <translation>必须是 1 到 24 个字母、数字或下划线</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="143"/>
        <source>must be 1 to 6 digits</source>
        <translation>必须是 1 到 6 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="144"/>
        <source>must be 15 digits</source>
        <translation>必须是 15 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="145"/>
        <source>must be 2 to 8 letters or digits</source>
        <translation>必须是 2 到 8 位字母或数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="146"/>
        <source>must be 4 to 8 digits</source>
        <translation>必须是 4 到 8 位数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="147"/>
        <source>must be a 3-letter currency code</source>
        <translation>必须是 3 个字母的货币代码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="148"/>
        <source>must be a JSON object of set-up answers</source>
        <translation>必须是包含设置项的 JSON 对象</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="149"/>
        <source>must be a date</source>
        <translation>必须是日期</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="150"/>
        <source>must be a date between the years {first} and {last}</source>
        <translation>必须是 {first} 年至 {last} 年之间的日期</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="151"/>
        <source>must be a date in the past</source>
        <translation>必须是过去的日期</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="152"/>
        <source>must be a full path to a folder</source>
        <translation>必须是文件夹的完整路径</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="153"/>
        <source>must be a moment with its time zone</source>
        <translation>必须是带时区的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="154"/>
        <source>must be a multiple of {n}</source>
        <translation>须为 {n} 的倍数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="155"/>
        <source>must be a new store or enrolment with HQ</source>
        <translation>必须是新门店或向总部注册</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="156"/>
        <source>must be a percentage from 0 to below 100, with at most {n} decimal places</source>
        <translation>必须是 0 到 100（不含）之间的百分比，最多 {n} 位小数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="157"/>
        <source>must be a staff id</source>
        <translation>必须是员工编号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="158"/>
        <source>must be a store code of 2 to 8 letters or digits</source>
        <translation>必须是 2 到 8 位字母或数字的门店代码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="159"/>
        <source>must be a time of day as HH:MM</source>
        <translation>必须是 HH:MM 格式的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="160"/>
        <source>must be a time with its time zone</source>
        <translation>必须是带时区的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="161"/>
        <source>must be a two-letter country code</source>
        <translation>必须是两个字母的国家/地区代码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="162"/>
        <source>must be a whole number</source>
        <translation>须为整数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="163"/>
        <source>must be a whole number from {lo} to {hi}</source>
        <translation>必须是 {lo} 到 {hi} 之间的整数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="164"/>
        <source>must be accepted or dismissed</source>
        <translation>必须是“接受”或“忽略”</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="165"/>
        <source>must be an ISO 8601 date and time</source>
        <translation>必须是 ISO 8601 日期和时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="166"/>
        <source>must be an amount of zero or more</source>
        <translation>金额不能小于零</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="167"/>
        <source>must be an aware time</source>
        <translation>必须是带时区的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="168"/>
        <source>must be an object</source>
        <translation>必须是一个对象</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="169"/>
        <source>must be at least {n}</source>
        <translation>至少为 {n}</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="170"/>
        <source>must be at least {n} characters</source>
        <translation>至少需要 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="171"/>
        <source>must be at least {n} minutes from now</source>
        <translation>必须至少在 {n} 分钟之后</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="172"/>
        <source>must be at most {n} characters</source>
        <translation>最多 {n} 个字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="173"/>
        <source>must be at most {n} points at a time</source>
        <translation>每次最多 {n} 积分</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="174"/>
        <source>must be between 0 and 100</source>
        <translation>必须在 0 到 100 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="175"/>
        <source>must be between 1 and {n}</source>
        <translation>必须在 1 到 {n} 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="176"/>
        <source>must be between the years {first} and {last}</source>
        <translation>必须在 {first} 年到 {last} 年之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="177"/>
        <source>must be between {low} and {high}</source>
        <translation>必须在 {low} 到 {high} 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="178"/>
        <source>must be between {low} and {high} days</source>
        <translation>必须在 {low} 到 {high} 天之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="179"/>
        <source>must be between {low} and {high} minutes</source>
        <translation>必须在 {low} 到 {high} 分钟之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="180"/>
        <source>must be between {min} and {max}</source>
        <translation>必须在 {min} 到 {max} 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="181"/>
        <source>must be from {low} to {high} hours</source>
        <translation>必须在 {low} 到 {high} 小时之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="182"/>
        <source>must be from {lo} to {hi}</source>
        <translation>须在 {lo} 到 {hi} 之间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="183"/>
        <source>must be in the future</source>
        <translation>必须是将来的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="184"/>
        <source>must be negative on a refund</source>
        <translation>退款时必须为负数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="185"/>
        <source>must be one of {codes}</source>
        <translation>必须是以下之一：{codes}</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="186"/>
        <source>must be plain text</source>
        <translation>必须是纯文本</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="187"/>
        <source>must be printable characters without spaces around them</source>
        <translation>必须是可打印字符，首尾不能有空格</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="188"/>
        <source>must be sale or refund</source>
        <translation>必须是“销售”或“退款”</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="189"/>
        <source>must be sms or email</source>
        <translation>只能是短信或电子邮件</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="190"/>
        <source>must be text</source>
        <translation>必须是文本</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="191"/>
        <source>must be the 16-character code HQ printed</source>
        <translation>必须是总部打印的 16 位代码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="192"/>
        <source>must be the keyring or a passphrase</source>
        <translation>必须是密钥环或口令</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="193"/>
        <source>must be written in digits, not letters</source>
        <translation>必须用数字填写，不能用字母</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="194"/>
        <source>must carry its UTC offset</source>
        <translation>必须带有 UTC 时差</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="195"/>
        <source>must contain a letter or digit</source>
        <translation>必须包含字母或数字</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="196"/>
        <source>must contain at least one letter</source>
        <translation>必须至少包含一个字母</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="197"/>
        <source>must differ from the start; for none, choose no quiet hours</source>
        <translation>必须与开始时间不同；如不需要，请选择“不设免打扰时段”</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="198"/>
        <source>must name another receipt</source>
        <translation>必须指向另一张小票</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="199"/>
        <source>must not be 0</source>
        <translation>不能为 0</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="200"/>
        <source>must not be before the first day</source>
        <translation>不能早于开始日期</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="201"/>
        <source>must not be before the start</source>
        <translation>不能早于开始时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="202"/>
        <source>must not be in the past</source>
        <translation>不能是过去的时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="203"/>
        <source>must not be negative</source>
        <translation>不能为负数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="204"/>
        <source>must not be positive on a refund</source>
        <translation>退款时不能为正数</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="205"/>
        <source>must not be zero</source>
        <translation>不能为零</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="206"/>
        <source>must not contain control characters</source>
        <translation>不能包含控制字符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="207"/>
        <source>must not include an extension</source>
        <translation>不能包含分机号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="208"/>
        <source>must say whether prices include the tax</source>
        <translation>请说明价格是否含税</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="209"/>
        <source>name a ticket, an appointment or a customer</source>
        <translation>请指定工单、预约或顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="210"/>
        <source>name either a repair ticket or an appointment</source>
        <translation>请指定一张维修单或一个预约</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="211"/>
        <source>name the tax printed on receipts</source>
        <translation>请填写收据上显示的税种名称</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="212"/>
        <source>no payment is recorded on this ticket</source>
        <translation>此工单没有付款记录</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="213"/>
        <source>no payment is waiting to be recorded on this ticket</source>
        <translation>此工单没有待登记的付款</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="214"/>
        <source>no phone is on file: scan the intake receipt</source>
        <translation>档案中没有手机号：请扫描收件单</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="215"/>
        <source>no price book is in force</source>
        <translation>当前没有生效的价目表</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="216"/>
        <source>no qualified technician is free for this service now</source>
        <translation>现在没有具备该技能的技术员有空</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="217"/>
        <source>no store database at this location</source>
        <translation>此位置没有门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="218"/>
        <source>nobody is waiting</source>
        <translation>没有人在排队</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="219"/>
        <source>not a valid phone number for country code +{code}</source>
        <translation>不是国家代码 +{code} 的有效电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="220"/>
        <source>not a valid phone number for region {region}</source>
        <translation>不是地区 {region} 的有效电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="221"/>
        <source>not possible for an appointment that is {status}</source>
        <translation>状态为 {status} 的预约不能这样操作</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="222"/>
        <source>nothing covers this repair: every part is charged</source>
        <translation>此维修不在保修或保障范围内：所有配件均需收费</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="223"/>
        <source>nothing is due for this ticket</source>
        <translation>此工单无需付款</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="224"/>
        <source>only a quote that waits for approval can be revised</source>
        <translation>只有待客户确认的报价才能修改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="225"/>
        <source>only a refund names the receipt it refunds</source>
        <translation>只有退款才能指定所退的小票</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="226"/>
        <source>only a repaired device that was collected comes back under the repair&apos;s warranty</source>
        <translation>只有已修好并已取走的设备才能按维修保修返修</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="227"/>
        <source>only an open complaint can be classified</source>
        <translation>只能为未结的投诉分类</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="228"/>
        <source>only an open complaint can be escalated</source>
        <translation>只能上报未结的投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="229"/>
        <source>only an open complaint can be resolved</source>
        <translation>只能处理未结的投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="248"/>
        <source>text messages need a phone number</source>
        <translation>发短信需要手机号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="265"/>
        <source>the backup file changed since it was written: it is damaged</source>
        <translation>备份文件在写入后被改动：文件已损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="266"/>
        <source>the backup file does not hold what was copied into it</source>
        <translation>备份文件中的内容与复制进去的内容不符</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="267"/>
        <source>the backup file does not open with its key: it is damaged</source>
        <translation>备份文件无法用其密钥打开：文件已损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="268"/>
        <source>the backup file failed SQLite&apos;s integrity check: it is damaged</source>
        <translation>备份文件未通过 SQLite 完整性检查：文件已损坏</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="289"/>
        <source>the folder&apos;s path is too long (at most {n} characters)</source>
        <translation>文件夹路径太长（最多 {n} 个字符）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="291"/>
        <source>the key is not in this computer&apos;s keyring; enter the recovery key or the passphrase</source>
        <translation>这台电脑的密钥环中没有该密钥；请输入恢复密钥或口令</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="301"/>
        <source>the store database is busy with other work (such as removing an erased customer&apos;s data from the file); nothing was saved: try again in a minute</source>
        <translation>门店数据库正忙于其他工作（例如从文件中清除已删除客户的数据）；未保存任何内容：请一分钟后再试</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="306"/>
        <source>the survey opens once the visit is over</source>
        <translation>本次服务结束后才能填写问卷</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="313"/>
        <source>there is no file here</source>
        <translation>此处没有文件</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="323"/>
        <source>this backup was not made from this store database; restore it with the recovery key</source>
        <translation>此备份不是从本门店数据库创建的；请用恢复密钥恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="324"/>
        <source>this call is already recorded</source>
        <translation>此次回访已记录</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="325"/>
        <source>this complaint is already with the region</source>
        <translation>此投诉已在区域处理中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="327"/>
        <source>this computer has no secure keyring: choose a passphrase</source>
        <translation>这台电脑没有安全的密钥环：请设置口令</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="338"/>
        <source>this folder cannot be written to</source>
        <translation>无法写入此文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="339"/>
        <source>this is not a recovery key: check every group</source>
        <translation>这不是有效的恢复密钥：请逐组检查</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="340"/>
        <source>this is not a recovery key: check group {n}</source>
        <translation>这不是有效的恢复密钥：请检查第 {n} 组</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="341"/>
        <source>this is not a recovery key: check groups {a} and {b}</source>
        <translation>这不是有效的恢复密钥：请检查第 {a} 组和第 {b} 组</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="342"/>
        <source>this is not the staff number of an active admin</source>
        <translation>这不是在职管理员的员工编号</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="345"/>
        <source>this recovery key does not open this backup</source>
        <translation>此恢复密钥无法打开此备份</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="346"/>
        <source>this recovery key does not open this store database</source>
        <translation>此恢复密钥无法打开本门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="347"/>
        <source>this reset code has expired; ask HQ for a new one</source>
        <translation>此重置码已过期；请向总部索取新的重置码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="348"/>
        <source>this reset code is not valid for this store; check it, or ask HQ for a new one</source>
        <translation>此重置码对本门店无效；请检查输入，或向总部索取新的重置码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="349"/>
        <source>this reset code was already used; ask HQ for a new one</source>
        <translation>此重置码已被使用；请向总部索取新的重置码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="351"/>
        <source>this store database has no recovery key</source>
        <translation>本门店数据库没有设置恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="355"/>
        <source>this store is not enrolled with HQ; use the recovery key</source>
        <translation>本门店尚未在总部登记；请使用恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="356"/>
        <source>this suggestion was already answered</source>
        <translation>此建议已处理过</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="357"/>
        <source>this version ({version}) is older than the oldest HQ accepts ({oldest}); update Orchard</source>
        <translation>此版本（{version}）低于总部接受的最低版本（{oldest}）；请更新 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="358"/>
        <source>this visit has already been answered</source>
        <translation>本次服务的问卷已填写</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="371"/>
        <source>you cannot deactivate your own account</source>
        <translation>您不能停用自己的账户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="372"/>
        <source>your role may not manage staff of a higher role</source>
        <translation>您的角色不能管理更高角色的员工</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="230"/>
        <source>part</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="231"/>
        <source>part stock</source>
        <translation>配件库存</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="232"/>
        <source>parts for this ticket are still out of stock</source>
        <translation>此工单所需配件仍缺货</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="233"/>
        <source>plain http is allowed only to this machine; use https:// for HQ</source>
        <translation>仅连接本机时可使用 http，总部地址请使用 https://</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="234"/>
        <source>points are earned when the repair is collected</source>
        <translation>取回维修设备时才积分</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="235"/>
        <source>points were already earned for this</source>
        <translation>此项目已积过分</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="236"/>
        <source>price book</source>
        <translation>价目表</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="237"/>
        <source>purchase</source>
        <translation>购物记录</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="238"/>
        <source>quote</source>
        <translation>报价</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="239"/>
        <source>repair ticket</source>
        <translation>维修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="240"/>
        <source>required</source>
        <translation>必填</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="241"/>
        <source>scan the intake receipt or type the phone&apos;s last four digits</source>
        <translation>请扫描收件单或输入手机号后四位</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="242"/>
        <source>service type</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="243"/>
        <source>shift</source>
        <translation>班次</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="244"/>
        <source>slot just taken</source>
        <translation>该时段刚被约走</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="245"/>
        <source>staff member</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="246"/>
        <source>store</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="247"/>
        <source>technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="249"/>
        <source>the CA certificate file for HQ cannot be read</source>
        <translation>无法读取总部的 CA 证书文件</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="250"/>
        <source>the HQ address must start with https:// and name a host</source>
        <translation>总部地址必须以 https:// 开头并包含主机名</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="251"/>
        <source>the IMEI differs from the quoted device; make a new quote</source>
        <translation>IMEI 与报价时的设备不符，请重新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="252"/>
        <source>the IMEI fails the check digit (Luhn) test</source>
        <translation>IMEI 校验位（Luhn）校验未通过</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="253"/>
        <source>the IMEI is on the blocklist</source>
        <translation>该 IMEI 在黑名单中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="254"/>
        <source>the OS keyring could not be read ({error})</source>
        <translation>无法读取系统密钥环（{error}）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="255"/>
        <source>the OS keyring refused the HQ credential ({error})</source>
        <translation>系统密钥环拒绝保存总部凭据（{error}）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="256"/>
        <source>the OS keyring refused the key ({error})</source>
        <translation>系统密钥环拒绝保存密钥（{error}）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="257"/>
        <source>the PIN is blocked after too many wrong tries: enter your full password</source>
        <translation>PIN 码错误次数过多，已被停用：请输入完整密码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="258"/>
        <source>the appointment is not checked in</source>
        <translation>该预约尚未到店登记</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="259"/>
        <source>the backup could not be written to the backup folder</source>
        <translation>无法将备份写入备份文件夹</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="260"/>
        <source>the backup could not be written: the backup folder cannot be written</source>
        <translation>无法写入备份：备份文件夹不可写入</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="261"/>
        <source>the backup could not be written: the backup folder is missing or was unplugged</source>
        <translation>无法写入备份：备份文件夹不存在或已被拔出</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="262"/>
        <source>the backup could not be written: the backup folder&apos;s disk is full</source>
        <translation>无法写入备份：备份文件夹所在的磁盘已满</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="263"/>
        <source>the backup failed because of an unexpected error</source>
        <translation>备份因意外错误而失败</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="264"/>
        <source>the backup file already exists; choose another name</source>
        <translation>备份文件已存在，请换一个名称</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="269"/>
        <source>the backup is damaged and was not restored</source>
        <translation>备份已损坏，未执行恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="270"/>
        <source>the birthday bonus is given in the birthday month</source>
        <translation>生日积分仅在生日当月发放</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="271"/>
        <source>the bonus is given when the trade-in is accepted</source>
        <translation>以旧换新被接受后才发放奖励</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="272"/>
        <source>the bonus was already given</source>
        <translation>奖励已发放</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="273"/>
        <source>the code or the phone&apos;s last four digits do not match</source>
        <translation>收件单编码或手机号后四位不匹配</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="274"/>
        <source>the copy of the backup could not be finished; nothing was changed</source>
        <translation>备份的副本未能完成；未做任何更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="275"/>
        <source>the customer has no e-mail address on file</source>
        <translation>客户资料中没有电子邮件地址</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="276"/>
        <source>the customer has no email address</source>
        <translation>顾客没有电子邮件地址</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="277"/>
        <source>the customer has no mobile number</source>
        <translation>顾客没有手机号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="278"/>
        <source>the customer has no phone number on file</source>
        <translation>客户资料中没有电话号码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="279"/>
        <source>the customer is already a member</source>
        <translation>顾客已是会员</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="280"/>
        <source>the customer is under 18</source>
        <translation>客户未满 18 岁</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="281"/>
        <source>the customer must agree to the programme terms to join</source>
        <translation>顾客须同意会员条款才能入会</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="282"/>
        <source>the customer must confirm this</source>
        <translation>需由客户确认</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="283"/>
        <source>the customer signs on the screen or types their name</source>
        <translation>请客户在屏幕上签名或输入姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="284"/>
        <source>the database&apos;s key information file is not Orchard&apos;s</source>
        <translation>数据库的密钥信息文件不属于 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="285"/>
        <source>the demo can only be built into an empty store database</source>
        <translation>演示数据只能生成到空的门店数据库中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="286"/>
        <source>the device has already been handed back</source>
        <translation>设备已交还客户</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="287"/>
        <source>the device has not been handed over</source>
        <translation>设备尚未交付</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="288"/>
        <source>the end must come after the start</source>
        <translation>结束时间必须晚于开始时间</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="290"/>
        <source>the key for this database is not in this computer&apos;s keyring</source>
        <translation>本机的系统密钥环中没有此数据库的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="292"/>
        <source>the key is right but the database file is damaged; restore a backup</source>
        <translation>密钥正确，但数据库文件已损坏，请从备份恢复</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="293"/>
        <source>the price book has no value for this model</source>
        <translation>价目表中没有此型号的估价</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="294"/>
        <source>the programme gives no bonus for this</source>
        <translation>会员计划不为此发放奖励</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="295"/>
        <source>the quote has expired; make a new quote</source>
        <translation>报价已过期，请重新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="296"/>
        <source>the quote is no longer open</source>
        <translation>该报价已结束</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="297"/>
        <source>the repair is charged: take payment or invoice it</source>
        <translation>此维修需收费：请收款或开票</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="298"/>
        <source>the repair&apos;s warranty ended on {date}</source>
        <translation>本次维修的保修期已于 {date} 结束</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="299"/>
        <source>the request was too large for HQ; nothing was changed</source>
        <translation>请求过大，总部无法处理，未做任何更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="300"/>
        <source>the restore target already exists; move it away first</source>
        <translation>恢复目标已存在，请先将其移走</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="302"/>
        <source>the store database is still open elsewhere (another Orchard window or command); close it and restore again; nothing was changed</source>
        <translation>门店数据库仍在别处打开（另一个 Orchard 窗口或命令）；请将其关闭后再恢复；未做任何更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="303"/>
        <source>the store database was closed before this could finish; nothing was changed</source>
        <translation>此操作完成之前门店数据库已关闭；未做任何更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="304"/>
        <source>the store needs at least one active admin</source>
        <translation>门店至少需要一名在职管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="305"/>
        <source>the stored passcode cannot be read</source>
        <translation>无法读取已保存的锁屏密码</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="307"/>
        <source>the terms have changed; show the current terms again</source>
        <translation>条款已更新，请重新展示当前条款</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="308"/>
        <source>the ticket is closed</source>
        <translation>工单已关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="309"/>
        <source>the ticket is not in quality check</source>
        <translation>工单不在质检中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="310"/>
        <source>the ticket is not in repair</source>
        <translation>工单不在维修中</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="311"/>
        <source>the ticket is not waiting for parts</source>
        <translation>工单不在待配件状态</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="312"/>
        <source>the ticket is not waiting for the customer&apos;s approval</source>
        <translation>工单不在待客户确认状态</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="314"/>
        <source>this account cannot sign in</source>
        <translation>此账户无法登录</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="315"/>
        <source>this account is locked; a manager can unlock it</source>
        <translation>此账户已锁定，可由店长解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="316"/>
        <source>this answer means the store cannot take the device</source>
        <translation>根据此答案，门店不能回收该设备</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="317"/>
        <source>this appointment already has a repair ticket</source>
        <translation>此预约已有维修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="318"/>
        <source>this backup cannot be restored: its description file is missing or unreadable</source>
        <translation>无法恢复此备份：其说明文件不存在或无法读取</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="319"/>
        <source>this backup cannot be restored: its description is not an Orchard backup&apos;s</source>
        <translation>无法恢复此备份：其说明文件不是 Orchard 备份的说明</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="320"/>
        <source>this backup cannot be restored: the backup file changed since it was written</source>
        <translation>无法恢复此备份：备份文件在写入后已被更改</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="321"/>
        <source>this backup cannot be restored: the backup file is missing</source>
        <translation>无法恢复此备份：备份文件不存在</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="322"/>
        <source>this backup was made before the store had a recovery key: only the store database it was made from opens it</source>
        <translation>此备份创建于本门店设置恢复密钥之前：只有创建它的那个门店数据库能打开它</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="326"/>
        <source>this computer has no secure keyring: a new store passphrase is needed</source>
        <translation>本机没有安全的系统密钥环：需要设置新的门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="328"/>
        <source>this computer has no secure keyring: choose a store passphrase to protect the database</source>
        <translation>本机没有安全的系统密钥环：请设置门店密码短语来保护数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="329"/>
        <source>this database already belongs to a store</source>
        <translation>此数据库已属于某个门店</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="330"/>
        <source>this database has no store yet</source>
        <translation>此数据库尚未设置门店</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="331"/>
        <source>this database is already enrolled as another store</source>
        <translation>此数据库已作为另一家门店注册</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="332"/>
        <source>this encrypted file is not an Orchard store database</source>
        <translation>此加密文件不是 Orchard 门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="333"/>
        <source>this enrolment code is for store {store}</source>
        <translation>此注册码属于门店 {store}</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="334"/>
        <source>this enrolment code is not valid (wrong, used or expired)</source>
        <translation>此注册码无效（错误、已使用或已过期）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="335"/>
        <source>this file is a plain, unencrypted SQLite database, not an Orchard store database</source>
        <translation>此文件是未加密的普通 SQLite 数据库，不是 Orchard 门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="336"/>
        <source>this file is not an Orchard store database (it is empty or an unencrypted SQLite file)</source>
        <translation>此文件不是 Orchard 门店数据库（文件为空或是未加密的 SQLite 文件）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="337"/>
        <source>this file is not an Orchard store database (its key information file is missing)</source>
        <translation>此文件不是 Orchard 门店数据库（缺少密钥信息文件）</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="343"/>
        <source>this key or passphrase does not open the store database</source>
        <translation>此密钥或密码短语无法打开门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="344"/>
        <source>this membership has ended</source>
        <translation>此会员资格已终止</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="350"/>
        <source>this rules version already exists</source>
        <translation>此规则版本已存在</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="352"/>
        <source>this store has no HQ credential; enrol it</source>
        <translation>本门店没有总部凭据，请先接入总部</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="353"/>
        <source>this store is enrolled with another database; HQ must reset it first</source>
        <translation>此门店已用另一个数据库注册，需总部先重置</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="354"/>
        <source>this store is not enrolled with HQ yet</source>
        <translation>本门店尚未接入总部</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="359"/>
        <source>this walk-in is no longer waiting</source>
        <translation>这位排队顾客已不在等候</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="360"/>
        <source>ticket</source>
        <translation>工单</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="361"/>
        <source>too many tries; wait {seconds} s and try again</source>
        <translation>尝试次数过多，请等待 {seconds} 秒后重试</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="362"/>
        <source>too many wrong passwords; the account is locked for {minutes} minutes or until a manager unlocks it</source>
        <translation>密码错误次数过多，账户已锁定 {minutes} 分钟，或由店长解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="363"/>
        <source>trade-in quote</source>
        <translation>以旧换新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="364"/>
        <source>walk-in</source>
        <translation>临时到店顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="365"/>
        <source>work stretches overlap</source>
        <translation>工作时段重叠</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="366"/>
        <source>wrong PIN; 1 try left before the PIN is blocked</source>
        <translation>PIN 错误；再错 1 次 PIN 将被停用</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="368"/>
        <source>wrong PIN; {left} tries left before the PIN is blocked</source>
        <translation>PIN 错误；还可再试 {left} 次，之后 PIN 将被停用</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="369"/>
        <source>wrong password; 1 try left before the account locks for {minutes} minutes</source>
        <translation>密码错误；再错 1 次账户将被锁定 {minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="370"/>
        <source>wrong password; {left} tries left before the account locks for {minutes} minutes</source>
        <translation>密码错误；还可再试 {left} 次，之后账户将被锁定 {minutes} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/core_messages.py" line="367"/>
        <source>wrong PIN; the PIN is now blocked: enter your full password</source>
        <translation>PIN 码错误，PIN 码现已停用：请输入完整密码</translation>
    </message>
</context>
<context>
    <name>CredentialBox</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="178"/>
        <source>Use my password instead of the PIN</source>
        <translation>改用密码登录（不用 PIN 码）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="181"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="195"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="195"/>
        <source>PIN</source>
        <translation>PIN 码</translation>
    </message>
</context>
<context>
    <name>CustomerForm</name>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="40"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="40"/>
        <source>Edit customer</source>
        <translation>编辑客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="49"/>
        <source>e.g. 138 0013 8000 or +44 20 7946 0958</source>
        <translation>例如 138 0013 8000 或 +44 20 7946 0958</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="53"/>
        <source>(not set)</source>
        <translation>（未设置）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="58"/>
        <source>(not said)</source>
        <translation>（未说明）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="61"/>
        <source>known</source>
        <translation>已知</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="63"/>
        <source>YYYY-MM-DD</source>
        <translation>YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="64"/>
        <source>Family name</source>
        <translation>姓</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="65"/>
        <source>Given name</source>
        <translation>名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="66"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="66"/>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="67"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="67"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="68"/>
        <source>How to contact</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="69"/>
        <source>Birth date</source>
        <translation>出生日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="94"/>
        <source>Contact details are hidden for your role</source>
        <translation>您的角色无权查看联系方式，已隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="140"/>
        <source>same phone</source>
        <translation>电话相同</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="140"/>
        <source>same email</source>
        <translation>电子邮件相同</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="141"/>
        <source>similar name, same birthday</source>
        <translation>姓名相似，生日相同</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="143"/>
        <source>This customer may already exist:</source>
        <translation>该客户可能已存在：</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customer_form.py" line="144"/>
        <source>Save again to create a new profile anyway.</source>
        <translation>如仍要新建客户资料，请再次保存。</translation>
    </message>
</context>
<context>
    <name>CustomersScreen</name>
    <message>
        <location filename="../../desktop/views/customers.py" line="272"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="275"/>
        <source>New customer (Ctrl+N)</source>
        <translation>新建客户 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="294"/>
        <source>No customer open. Type or scan to find one.</source>
        <translation>未打开客户。输入或扫码查找客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="322"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="336"/>
        <source>{0} shown</source>
        <translation>显示 {0} 条</translation>
    </message>
</context>
<context>
    <name>DashboardScreen</name>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="139"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="158"/>
        <source>Customers per segment</source>
        <translation>各分群客户数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="160"/>
        <source>No snapshots yet: one is taken each day after a sync.</source>
        <translation>暂无快照：每天同步后记录一次。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="163"/>
        <source>Customers with no purchase yet are left out here: their number is in the chart above.</source>
        <translation>尚未消费的客户未计入此图：其人数见上方图表。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="167"/>
        <source>Segment movement</source>
        <translation>分群变化</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="170"/>
        <source>NPS by week, with the answers</source>
        <translation>每周 NPS 及回答数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="173"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="174"/>
        <source>Score</source>
        <translation>评分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="175"/>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="186"/>
        <source>Double-click a customer (or press Enter) to open the profile.</source>
        <translation>双击客户（或按回车键）打开客户档案。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="189"/>
        <source>Churn risk</source>
        <translation>流失风险</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="191"/>
        <source>Suggestion</source>
        <translation>建议</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="192"/>
        <source>Accepted</source>
        <translation>已接受</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="193"/>
        <source>Dismissed</source>
        <translation>已忽略</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="194"/>
        <source>Rate</source>
        <translation>接受率</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="199"/>
        <source>Suggestions taken</source>
        <translation>建议采纳情况</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="205"/>
        <source>Customer insights</source>
        <translation>客户洞察</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="216"/>
        <source>Complaints against their clock</source>
        <translation>投诉处理时限</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="220"/>
        <source>Open</source>
        <translation>未处理</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="220"/>
        <source>Due within 24 h</source>
        <translation>24 小时内到期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="221"/>
        <source>Overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="269"/>
        <source>Scores from HQ, {0}</source>
        <translation>总部评分，{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="270"/>
        <source>No scores yet: they come from HQ after the next sync.</source>
        <translation>暂无评分：下次同步后由总部提供。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="286"/>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="362"/>
        <location filename="../../desktop/views/crm/dashboard.py" line="389"/>
        <source>Answers</source>
        <translation>回答数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/dashboard.py" line="371"/>
        <location filename="../../desktop/views/crm/dashboard.py" line="385"/>
        <source>NPS</source>
        <translation>NPS</translation>
    </message>
</context>
<context>
    <name>DatabaseKeyBox</name>
    <message>
        <location filename="../../desktop/views/database_key.py" line="182"/>
        <source>Database key and recovery key</source>
        <translation>数据库密钥和恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="185"/>
        <source>Change the database key from time to time, or when someone who knew the passphrase leaves: the store&apos;s recovery key keeps working after a change. The recovery key cannot be printed again: Orchard never keeps it, only a lock it opens. If its sheet is lost, make a new recovery key; the old one then stops working.</source>
        <translation>请定期更换数据库密钥，知道密码短语的人员离职时也应更换；更换后门店的恢复密钥仍然有效。恢复密钥无法再次打印：Orchard 从不保存它，只保存它能打开的锁。如果打印页丢失，请生成新的恢复密钥，旧的随即失效。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="197"/>
        <source>Change the database key…</source>
        <translation>更换数据库密钥…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="201"/>
        <source>Save the record of the change…</source>
        <translation>保存更换记录…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="206"/>
        <source>Make a new recovery key…</source>
        <translation>生成新的恢复密钥…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="255"/>
        <source>Nobody has confirmed that this store&apos;s recovery key was stored when the store was set up. Make a new recovery key and keep its sheet safe.</source>
        <translation>设置本门店时，没有人确认已保存其恢复密钥。请生成新的恢复密钥，并妥善保管其打印页。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="258"/>
        <source>This store has a recovery key.</source>
        <translation>本门店已设置恢复密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="259"/>
        <source>This store has no recovery key yet: make one and keep its sheet safe.</source>
        <translation>本门店尚未设置恢复密钥：请生成一个，并妥善保管其打印页。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="327"/>
        <source>The database key was changed ({0}). Save the record of the change for the store&apos;s files.</source>
        <translation>数据库密钥已更换（{0}）。请保存更换记录，存入门店档案。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="339"/>
        <source>Save the record of the key change</source>
        <translation>保存密钥更换记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="340"/>
        <location filename="../../desktop/views/database_key.py" line="447"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="367"/>
        <source>The record of the key change was saved: {0}</source>
        <translation>密钥更换记录已保存：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="372"/>
        <source>Make a new recovery key</source>
        <translation>生成新的恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="373"/>
        <source>A new recovery key replaces the store&apos;s present one. The new key is shown only once; when you confirm that you have stored it, the old key, and any sheet it is printed on, stops working. Make a new one?</source>
        <translation>新的恢复密钥将取代本门店当前的恢复密钥。新密钥只显示一次；在您确认已妥善保存后，旧密钥及打印了旧密钥的打印页即失效。要生成新的恢复密钥吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="419"/>
        <source>The new recovery key is in force; the old one no longer works.</source>
        <translation>新的恢复密钥已生效，旧的恢复密钥不再有效。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="429"/>
        <source>The new recovery key was not set; the old one still works.</source>
        <translation>新的恢复密钥未能设置；旧密钥仍然有效。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="437"/>
        <source>No new recovery key was set: the old one still works. The sheet saved for the key just shown ({0}) does not open the store; destroy it.</source>
        <translation>未设置新的恢复密钥：旧密钥仍然有效。为刚才显示的密钥保存的打印页（{0}）无法打开门店数据库，请将其销毁。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="441"/>
        <source>No new recovery key was set: the old one still works.</source>
        <translation>未设置新的恢复密钥：旧密钥仍然有效。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="446"/>
        <source>Save the recovery key sheet</source>
        <translation>保存恢复密钥打印页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="474"/>
        <source>The sheet was saved: {0}. Print it and keep it apart from this computer.</source>
        <translation>打印页已保存：{0}。请打印出来，并与本电脑分开存放。</translation>
    </message>
</context>
<context>
    <name>DayListModel</name>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="26"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="27"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="28"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="29"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="30"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="35"/>
        <source>{0} {1}</source>
        <translation>{0} {1}</translation>
    </message>
</context>
<context>
    <name>DayView</name>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="103"/>
        <source>Day calendar</source>
        <translation>当天日历</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="202"/>
        <source>Nobody is on the rota on this day.</source>
        <translation>当天没有人排班。</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="216"/>
        <source>Break</source>
        <translation>休息</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="216"/>
        <source>Away</source>
        <translation>不在岗</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="251"/>
        <source>Not assigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="304"/>
        <source>(no name)</source>
        <translation>（无姓名）</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="358"/>
        <source>{0} · {1} · {2} · {3} with {4}</source>
        <translation>{0} · {1} · {2} · {3}，技术员 {4}</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/calendar.py" line="359"/>
        <source>nobody</source>
        <translation>无</translation>
    </message>
</context>
<context>
    <name>DisplayBox</name>
    <message>
        <location filename="../../desktop/views/settings.py" line="281"/>
        <source>Customer display</source>
        <translation>客户显示屏</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="285"/>
        <source>Auto: a second screen when connected, else full screen on this one when asked</source>
        <translation>自动：连接了第二块屏幕时显示在该屏幕上，否则在需要时全屏显示在本屏幕上</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="287"/>
        <source>Off: the associate&apos;s screen only</source>
        <translation>关闭：仅使用店员屏幕</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="288"/>
        <source>Mode</source>
        <translation>模式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="291"/>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="292"/>
        <source>Show a test page</source>
        <translation>显示测试页面</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="313"/>
        <source>Any other screen</source>
        <translation>任意其他屏幕</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="319"/>
        <source>{0} (not connected)</source>
        <translation>{0}（未连接）</translation>
    </message>
</context>
<context>
    <name>DueList</name>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="31"/>
        <source>To do</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="32"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="33"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="34"/>
        <source>Severity</source>
        <translation>严重程度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="35"/>
        <source>Due</source>
        <translation>截止时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="36"/>
        <source>Time left</source>
        <translation>剩余时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="47"/>
        <source>Nothing is due: every complaint is classified and every call made.</source>
        <translation>没有待办：所有投诉都已分类，所有回访都已完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="55"/>
        <source>Classify the complaint</source>
        <translation>为投诉分类</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="55"/>
        <source>Resolve the complaint</source>
        <translation>解决投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/due_list.py" line="57"/>
        <source>{0} (escalated)</source>
        <translation>{0}（已上报）</translation>
    </message>
</context>
<context>
    <name>EarnDialog</name>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="90"/>
        <source>Earn points</source>
        <translation>积分入账</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="92"/>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="92"/>
        <source>Purchase</source>
        <translation>购物</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="94"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="95"/>
        <source>What</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="96"/>
        <source>Spend</source>
        <translation>消费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="97"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="103"/>
        <source>Nothing to earn for: no collected repair or purchase since joining that has not earned points.</source>
        <translation>没有可积分的项目：入会以来没有尚未积分的已取回维修或购物。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="109"/>
        <source>Earn</source>
        <translation>入账</translation>
    </message>
</context>
<context>
    <name>EnrollDialog</name>
    <message>
        <location filename="../../desktop/views/enroll.py" line="44"/>
        <source>Join the loyalty programme</source>
        <translation>加入会员计划</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="58"/>
        <source>Language of the terms</source>
        <translation>条款语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="69"/>
        <source>The customer has read the terms and agrees to join (required)</source>
        <translation>顾客已阅读条款并同意入会（必选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="71"/>
        <source>Offers and news by &amp;SMS (optional)</source>
        <translation>通过短信接收优惠和资讯(&amp;S)（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="73"/>
        <source>Offers and news by &amp;email (optional)</source>
        <translation>通过电子邮件接收优惠和资讯(&amp;E)（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="82"/>
        <source>Marketing consent is separate from membership: the customer may join without it and withdraw it at any time.</source>
        <translation>营销同意与会员资格相互独立：顾客无需同意营销即可入会，并可随时撤回同意。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="97"/>
        <source>Show on the customer display</source>
        <translation>在顾客显示屏上显示</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="103"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="106"/>
        <source>Enrol</source>
        <translation>入会</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="113"/>
        <source>Print card…</source>
        <translation>打印会员卡…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="117"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="138"/>
        <source>{0}: join {1}</source>
        <translation>{0}：加入{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="139"/>
        <source>Programme terms, version {0} · welcome bonus {1} points</source>
        <translation>会员条款，版本 {0} · 欢迎积分 {1} 分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="155"/>
        <source>No mobile number on the profile</source>
        <translation>资料中没有手机号码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="157"/>
        <source>No email address on the profile</source>
        <translation>资料中没有电子邮件地址</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="159"/>
        <source>Already a member: {0}</source>
        <translation>已是会员：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/enroll.py" line="199"/>
        <source>Welcome! Member number {0}, {1} points to start with. Scan the card into the customer&apos;s phone or print it.</source>
        <translation>欢迎入会！会员号 {0}，初始积分 {1} 分。可让顾客用手机扫描会员卡，或打印出来。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <location filename="../../desktop/errors.py" line="38"/>
        <source>Your role ({0}) may not do this.</source>
        <translation>您的角色（{0}）无权执行此操作。</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="40"/>
        <source>{0} not found</source>
        <translation>未找到{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="54"/>
        <source>Something went wrong ({0}). Nothing was saved by this action; it has been logged.</source>
        <translation>出现错误（{0}）。此操作未保存任何内容，错误已记录到日志。</translation>
    </message>
    <message>
        <location filename="../../desktop/errors.py" line="121"/>
        <source>Orchard</source>
        <translation>Orchard</translation>
    </message>
</context>
<context>
    <name>FindCustomerDialog</name>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="210"/>
        <source>Enrol a customer</source>
        <translation>为顾客办理入会</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="216"/>
        <source>Name, 拼音, phone or email</source>
        <translation>姓名、拼音、电话或电子邮件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="218"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="219"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="220"/>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="221"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="222"/>
        <source>not a member</source>
        <translation>非会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="227"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="230"/>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
</context>
<context>
    <name>Fmt</name>
    <message>
        <location filename="../../desktop/fmt.py" line="57"/>
        <source>{0} d {1} h</source>
        <translation>{0} 天 {1} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/fmt.py" line="58"/>
        <source>{0} d</source>
        <translation>{0} 天</translation>
    </message>
    <message>
        <location filename="../../desktop/fmt.py" line="60"/>
        <source>{0} h {1} min</source>
        <translation>{0} 小时 {1} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/fmt.py" line="61"/>
        <source>{0} h</source>
        <translation>{0} 小时</translation>
    </message>
    <message>
        <location filename="../../desktop/fmt.py" line="62"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/fmt.py" line="69"/>
        <source>{0} left</source>
        <translation>剩余 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/fmt.py" line="70"/>
        <source>overdue by {0}</source>
        <translation>逾期 {0}</translation>
    </message>
</context>
<context>
    <name>HistoryTab</name>
    <message>
        <location filename="../../desktop/views/bench/history_tab.py" line="27"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/history_tab.py" line="28"/>
        <source>Who</source>
        <translation>经手人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/history_tab.py" line="29"/>
        <source>From</source>
        <translation>原状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/history_tab.py" line="30"/>
        <source>To</source>
        <translation>新状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/history_tab.py" line="31"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>IntakeDialog</name>
    <message>
        <location filename="../../desktop/views/intake.py" line="70"/>
        <source>Repair intake</source>
        <translation>维修收机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="91"/>
        <location filename="../../desktop/views/intake.py" line="112"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="106"/>
        <source>Name or phone of a customer we know</source>
        <translation>老客户的姓名或电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="109"/>
        <location filename="../../desktop/views/intake.py" line="350"/>
        <source>New customer (below)</source>
        <translation>新客户（在下方填写）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="111"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="113"/>
        <source>Family name</source>
        <translation>姓</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="114"/>
        <source>Given name</source>
        <translation>名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="115"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="127"/>
        <location filename="../../desktop/views/intake.py" line="151"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="132"/>
        <source>e.g. iPhone 15 Pro</source>
        <translation>例如 iPhone 15 Pro</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="137"/>
        <source>15 digits (*#06#)</source>
        <translation>15 位数字（拨 *#06# 查看）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="141"/>
        <source>Only if the customer gives it</source>
        <translation>仅在客户愿意提供时填写</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="142"/>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="152"/>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="153"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="154"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="155"/>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="156"/>
        <source>Passcode</source>
        <translation>锁屏密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="157"/>
        <source>Stored encrypted and deleted when the device is collected.</source>
        <translation>加密保存，客户取机后即删除。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="163"/>
        <source>Fault as the customer describes it</source>
        <translation>客户描述的故障</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="173"/>
        <source>Condition at intake</source>
        <translation>收机时的外观与状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="180"/>
        <source>switches on</source>
        <translation>能开机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="193"/>
        <source>Notes: marks, dents, missing screws …</source>
        <translation>备注：痕迹、磕碰、缺失螺丝 …</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="198"/>
        <source>Agreed with the customer</source>
        <translation>与客户约定</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="201"/>
        <source>Case, charger, SIM tray …</source>
        <translation>保护壳、充电器、SIM 卡托 …</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="205"/>
        <source>Quotes up to this amount go ahead without asking the customer again.</source>
        <translation>报价不超过此金额时直接维修，无需再征求客户确认。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="210"/>
        <location filename="../../desktop/views/intake.py" line="306"/>
        <source>Unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="211"/>
        <source>Accessories left</source>
        <translation>随机配件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="212"/>
        <source>Approval limit</source>
        <translation>授权额度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="213"/>
        <source>Contact by</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="214"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="231"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="233"/>
        <source>Check in device</source>
        <translation>确认收机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="287"/>
        <source>Walk-in: find the customer or add them.</source>
        <translation>到店客户：请查找客户或新建客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="293"/>
        <source>From the appointment at {0}: {1}</source>
        <translation>来自 {0} 的预约：{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="301"/>
        <source>Another device…</source>
        <translation>其他设备…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/intake.py" line="366"/>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
</context>
<context>
    <name>IntakeTab</name>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="33"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="33"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="34"/>
        <source>Contact by</source>
        <translation>联系方式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="34"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="34"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="35"/>
        <source>Serial number</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="35"/>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="36"/>
        <source>Checked in</source>
        <translation>收机时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="36"/>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="38"/>
        <source>Fault</source>
        <translation>故障</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="38"/>
        <source>Condition</source>
        <translation>外观与状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="39"/>
        <source>Condition notes</source>
        <translation>外观备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="39"/>
        <source>Accessories</source>
        <translation>随机配件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="40"/>
        <source>Approval limit</source>
        <translation>授权额度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="40"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="44"/>
        <source>Show passcode</source>
        <translation>显示锁屏密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="45"/>
        <source>Shown for 30 seconds; each look is recorded.</source>
        <translation>显示 30 秒；每次查看都会被记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="48"/>
        <source>Passcode</source>
        <translation>锁屏密码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="63"/>
        <source>(no customer)</source>
        <translation>（无客户）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="72"/>
        <source>warranty until {0}</source>
        <translation>保修至 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="74"/>
        <source>accident coverage until {0}</source>
        <translation>意外保障至 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="75"/>
        <source>none on file</source>
        <translation>无记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="79"/>
        <location filename="../../desktop/views/bench/intake_tab.py" line="85"/>
        <location filename="../../desktop/views/bench/intake_tab.py" line="98"/>
        <location filename="../../desktop/views/bench/intake_tab.py" line="103"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="81"/>
        <source>{0} by {1}</source>
        <translation>{0}，经手人 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="82"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="83"/>
        <source>unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/intake_tab.py" line="85"/>
        <location filename="../../desktop/views/bench/intake_tab.py" line="103"/>
        <source>on file (encrypted)</source>
        <translation>已保存（加密）</translation>
    </message>
</context>
<context>
    <name>KeyPage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="30"/>
        <source>Where the database key lives</source>
        <translation>数据库密钥保存在哪里</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="31"/>
        <source>The store&apos;s data is encrypted on this computer. Its key is kept in one of two places; the recovery key shown at the end opens the store if it is ever lost.</source>
        <translation>门店数据在这台电脑上是加密的。密钥保存在以下两处之一；如果密钥丢失，最后显示的恢复密钥可以打开门店数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="35"/>
        <source>In this computer&apos;s keyring (recommended)</source>
        <translation>保存在这台电脑的密钥环中（推荐）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="37"/>
        <source>Orchard opens without a question when this computer&apos;s user signs in. If the keyring is lost (the user profile rebuilt, the computer restored), the recovery key opens the store.</source>
        <translation>这台电脑的用户登录后，Orchard 无需询问即可打开。如果密钥环丢失（用户配置被重建、电脑被还原），可以用恢复密钥打开门店数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="40"/>
        <source>Protected by a passphrase</source>
        <translation>用口令保护</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="42"/>
        <source>Whoever starts Orchard types the passphrase. Without it, or the recovery key, nobody can open the store&apos;s data.</source>
        <translation>每次启动 Orchard 都需要输入口令。没有口令或恢复密钥，任何人都无法打开门店数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="52"/>
        <source>This computer has no secure keyring, so the store is protected by a passphrase.</source>
        <translation>这台电脑没有安全的密钥环，因此门店数据用口令保护。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="57"/>
        <source>Store passphrase</source>
        <translation>门店口令</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="58"/>
        <source>The passphrase again</source>
        <translation>再次输入口令</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="85"/>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
</context>
<context>
    <name>LanguagePage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="41"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="41"/>
        <source>The language Orchard speaks on this counter. Each person can change it later in Settings.</source>
        <translation>这台柜台上 Orchard 使用的语言。每个人以后都可以在“设置”中更改。</translation>
    </message>
</context>
<context>
    <name>ListsScreen</name>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="71"/>
        <source>Export CSV…</source>
        <translation>导出 CSV…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="88"/>
        <source>Marketing lists</source>
        <translation>营销名单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="91"/>
        <source>Who</source>
        <translation>对象</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="103"/>
        <source>Segments</source>
        <translation>分群</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="107"/>
        <source>Value bands</source>
        <translation>价值等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="111"/>
        <source>Minimum churn risk</source>
        <translation>最低流失风险</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="117"/>
        <source>any</source>
        <translation>不限</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="120"/>
        <source>Only customers whose home store is this one</source>
        <translation>仅限归属本店的客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="123"/>
        <source>Nothing ticked in a group means any.</source>
        <translation>某组未勾选任何项即表示不限。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="130"/>
        <source>Channel and purpose</source>
        <translation>渠道与用途</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="133"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="138"/>
        <source>SMS</source>
        <translation>短信</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="138"/>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="147"/>
        <source>Purpose</source>
        <translation>用途</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="156"/>
        <source>What the list is for, e.g. battery service offer in March</source>
        <translation>名单用途，例如：三月电池保养优惠</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="200"/>
        <source>{0} customers match, {1} consented to SMS</source>
        <translation>{0} 位客户符合条件，其中 {1} 位同意接收短信</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="201"/>
        <source>{0} customers match, {1} consented to email</source>
        <translation>{0} 位客户符合条件，其中 {1} 位同意接收电子邮件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="203"/>
        <source>{0} on the list</source>
        <translation>名单共 {0} 人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="212"/>
        <source>Say what the list is for: it is recorded with the export.</source>
        <translation>请说明名单用途：它将随导出一并记录。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="218"/>
        <source>Export marketing list</source>
        <translation>导出营销名单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="218"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/lists.py" line="246"/>
        <source>{0} customers written to {1}. The export is recorded with its purpose.</source>
        <translation>已将 {0} 位客户写入 {1}。本次导出已连同用途一并记录。</translation>
    </message>
</context>
<context>
    <name>LockPage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="359"/>
        <source>Locked</source>
        <translation>已锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="364"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="367"/>
        <source>Sign in as someone else</source>
        <translation>以其他用户登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="375"/>
        <source>Locked by {0}. {0} can unlock with their PIN, or a colleague can sign in instead.</source>
        <translation>已由 {0} 锁定。{0} 可用其 PIN 解锁，其他同事也可以改为自己登录。</translation>
    </message>
</context>
<context>
    <name>LookupBox</name>
    <message>
        <location filename="../../desktop/views/customers.py" line="48"/>
        <source>Name, 拼音, phone, email, IMEI, serial or member card</source>
        <translation>姓名、拼音、电话、电子邮件、IMEI、序列号或会员卡</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="60"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="60"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="60"/>
        <source>Last visit</source>
        <translation>最近到店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="60"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="145"/>
        <source>Type or scan to find a customer.</source>
        <translation>输入或扫码查找客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="147"/>
        <source>No customer matches.</source>
        <translation>没有匹配的客户。</translation>
    </message>
</context>
<context>
    <name>LoyaltyScreen</name>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="96"/>
        <source>Loyalty</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="100"/>
        <source>Member</source>
        <translation>会员号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="99"/>
        <source>Customer</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="43"/>
        <source>Enrol a customer…</source>
        <translation>办理入会…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="46"/>
        <source>Enrol a customer (Ctrl+E)</source>
        <translation>办理入会（Ctrl+E）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="49"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="56"/>
        <source>Member number, name, or scan the card</source>
        <translation>会员号、姓名，或扫描会员卡</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="101"/>
        <source>Tier</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="102"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="135"/>
        <source>{0} shown</source>
        <translation>显示 {0} 条</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="136"/>
        <source>No member matches.</source>
        <translation>没有匹配的会员。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="140"/>
        <source>{0} member(s) have a negative balance after sync: points were spent at two counters while offline. Open each and settle it with an adjustment.</source>
        <translation>同步后有 {0} 位会员余额为负：离线时在两个柜台使用了同一批积分。请逐一打开并通过调整结清。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="190"/>
        <source>No member has this card.</source>
        <translation>没有会员持有此卡。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/screen.py" line="137"/>
        <source>No loyalty members yet.</source>
        <translation>还没有会员。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../desktop/app.py" line="69"/>
        <source>Orchard</source>
        <translation>Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="112"/>
        <location filename="../../desktop/app.py" line="515"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="128"/>
        <location filename="../../desktop/app.py" line="504"/>
        <source>&amp;Orchard</source>
        <translation>Orchard(&amp;O)</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="129"/>
        <location filename="../../desktop/app.py" line="506"/>
        <source>Lock</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="133"/>
        <location filename="../../desktop/app.py" line="507"/>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="136"/>
        <location filename="../../desktop/app.py" line="508"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="145"/>
        <location filename="../../desktop/app.py" line="509"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="148"/>
        <location filename="../../desktop/app.py" line="505"/>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="151"/>
        <location filename="../../desktop/app.py" line="510"/>
        <source>About Orchard</source>
        <translation>关于 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="177"/>
        <source>Signed in: {0} ({1})</source>
        <translation>已登录：{0}（{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="178"/>
        <source>Not signed in</source>
        <translation>未登录</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="219"/>
        <source>Building the demo store (customers, devices, appointments, tickets)…</source>
        <translation>正在生成演示门店（客户、设备、预约、工单）…</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="198"/>
        <location filename="../../desktop/app.py" line="274"/>
        <source>Opening the store database…</source>
        <translation>正在打开门店数据库…</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="302"/>
        <source>The store database could not be opened.</source>
        <translation>无法打开门店数据库。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="362"/>
        <location filename="../../desktop/app.py" line="512"/>
        <source>Orchard — {0}</source>
        <translation>Orchard — {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="396"/>
        <source>Demo store (demo data only). PINs: {0}</source>
        <translation>演示门店（仅演示数据）。PIN 码：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="397"/>
        <source>Demo store. PINs: see demo-credentials.txt beside the database ({0}).</source>
        <translation>演示门店。PIN 码见数据库旁的 demo-credentials.txt（{0}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/app.py" line="400"/>
        <source>Store passphrase: {0}</source>
        <translation>门店密码短语：{0}</translation>
    </message>
</context>
<context>
    <name>MemberPanel</name>
    <message>
        <location filename="../../desktop/views/loyalty/card.py" line="151"/>
        <source>Not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/card.py" line="152"/>
        <source>Printing is not installed on this counter; the card on screen scans.</source>
        <translation>此柜台未安装打印功能；屏幕上的会员卡可直接扫描。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/card.py" line="161"/>
        <source>Member card</source>
        <translation>会员卡</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="78"/>
        <source>Tier review</source>
        <translation>等级复核</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="79"/>
        <source>Benefits</source>
        <translation>权益</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="80"/>
        <source>Expiring</source>
        <translation>即将过期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="81"/>
        <source>Member since</source>
        <translation>入会时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="98"/>
        <source>Earn points…</source>
        <translation>积分入账…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="99"/>
        <source>Points for a collected repair or a purchase (Ctrl+Shift+E)</source>
        <translation>为已取回的维修或购物积分（Ctrl+Shift+E）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="102"/>
        <source>Redeem…</source>
        <translation>兑换…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="103"/>
        <source>Spend points (Ctrl+Shift+R)</source>
        <translation>使用积分（Ctrl+Shift+R）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="106"/>
        <source>Adjust…</source>
        <translation>调整…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="108"/>
        <source>Enrol in loyalty…</source>
        <translation>办理入会…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="111"/>
        <source>Print card…</source>
        <translation>打印会员卡…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="126"/>
        <source>Not a member of the loyalty programme.</source>
        <translation>不是会员计划的会员。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="135"/>
        <source>Points expired</source>
        <translation>积分过期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="137"/>
        <source>Welcome bonus</source>
        <translation>欢迎积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="139"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="140"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="142"/>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="143"/>
        <source>Entry</source>
        <translation>明细</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="144"/>
        <source>Where, who</source>
        <translation>门店 · 经手人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="190"/>
        <source>{0} member</source>
        <translation>{0}会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="195"/>
        <source>{0} points</source>
        <translation>{0} 积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="197"/>
        <source>worth {0} in rewards</source>
        <translation>可抵扣 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="199"/>
        <source>{0} · agreed to terms version {1}</source>
        <translation>{0} · 同意条款版本 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="201"/>
        <source>{0} spent in the last 12 months</source>
        <translation>最近 12 个月消费 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="203"/>
        <source>{0} more for {1}</source>
        <translation>再消费 {0} 可升至{1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="205"/>
        <source>highest tier reached</source>
        <translation>已是最高等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="208"/>
        <source>{0} until {1}, then {2} unless more is spent</source>
        <translation>{0}保持至 {1}，之后如无更多消费将调整为{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="211"/>
        <source>{0} is kept at the review on {1}</source>
        <translation>{1} 复核时保持{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="215"/>
        <source>priority at the repair counter</source>
        <translation>维修优先</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="217"/>
        <source>{0}% off repair labour</source>
        <translation>维修工时 {0}% 折扣</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="218"/>
        <source>points on every purchase and repair</source>
        <translation>购物和维修均可积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="219"/>
        <source>{0} points on {1}</source>
        <translation>{0} 积分于 {1} 过期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="221"/>
        <source>nothing due to expire</source>
        <translation>暂无即将过期的积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="223"/>
        <source>The balance is below zero: points were spent at two counters while offline. A manager can settle it with an adjustment.</source>
        <translation>余额低于零：离线时在两个柜台使用了同一批积分。经理可通过调整结清。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="291"/>
        <source>{0} points earned for {1}.</source>
        <translation>{1} 获得 {0} 积分。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="292"/>
        <source>{0} points redeemed ({1}).</source>
        <translation>已兑换 {0} 积分（{1}）。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="294"/>
        <source>Balance adjusted by {0}.</source>
        <translation>余额已调整 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/panel.py" line="296"/>
        <source>Tier changed: {0} → {1}.</source>
        <translation>等级变更：{0} → {1}。</translation>
    </message>
</context>
<context>
    <name>MergeDialog</name>
    <message>
        <location filename="../../desktop/views/customers.py" line="231"/>
        <source>Merge customers</source>
        <translation>合并客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="235"/>
        <source>Keep {0}. Find the duplicate profile to merge into it:</source>
        <translation>保留 {0}。请查找要并入其中的重复资料：</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="239"/>
        <source>Everything of the duplicate (devices, visits, tickets, points) moves to the profile kept; the duplicate remains only as a pointer to it.</source>
        <translation>重复资料的所有内容（设备、到店记录、工单、积分）都将转入保留的资料；重复资料仅作为指向保留资料的链接保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="245"/>
        <source>Merge</source>
        <translation>合并</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="255"/>
        <source>Choose the duplicate profile first.</source>
        <translation>请先选择重复的资料。</translation>
    </message>
</context>
<context>
    <name>MessageSettingsBox</name>
    <message>
        <location filename="../../desktop/views/settings.py" line="348"/>
        <source>Customer messages</source>
        <translation>顾客消息</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="357"/>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="359"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="362"/>
        <source>Quiet hours for text messages</source>
        <translation>短信免打扰时段</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="363"/>
        <source>No quiet hours: send text messages at any hour</source>
        <translation>不设免打扰时段：任何时间都发送短信</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="370"/>
        <source>A text message due in the quiet hours waits until they end (the store&apos;s local time). Emails are sent at any hour.</source>
        <translation>在免打扰时段内应发出的短信将等到时段结束后再发送（按门店当地时间）。电子邮件随时发送。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="377"/>
        <source> days</source>
        <translation> 天</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="381"/>
        <source>Remind customers to collect after</source>
        <translation>提醒顾客取机的等待天数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="394"/>
        <source>Save message settings</source>
        <translation>保存消息设置</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="443"/>
        <source>Saved: text messages go at any hour; customers who have not collected are reminded after {n} days.</source>
        <translation>已保存：短信随时发送；未取机的顾客将在 {n} 天后收到提醒。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="446"/>
        <source>Saved: no text messages from {start} to {end}; customers who have not collected are reminded after {n} days.</source>
        <translation>已保存：{start} 至 {end} 不发送短信；未取机的顾客将在 {n} 天后收到提醒。</translation>
    </message>
</context>
<context>
    <name>MessagesBox</name>
    <message>
        <location filename="../../desktop/views/message_timeline.py" line="129"/>
        <source>Messages to the customer</source>
        <translation>发给顾客的消息</translation>
    </message>
    <message>
        <location filename="../../desktop/views/message_timeline.py" line="132"/>
        <source>Queued at</source>
        <translation>排队时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/message_timeline.py" line="133"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../desktop/views/message_timeline.py" line="134"/>
        <source>Channel</source>
        <translation>渠道</translation>
    </message>
    <message>
        <location filename="../../desktop/views/message_timeline.py" line="135"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>MessagesLine</name>
    <message>
        <location filename="../../desktop/views/message_timeline.py" line="181"/>
        <source>and {0} earlier</source>
        <translation>另有 {0} 条更早的消息</translation>
    </message>
</context>
<context>
    <name>ModePage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="72"/>
        <source>This store</source>
        <translation>本门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="73"/>
        <source>Set up a new store</source>
        <translation>设置新门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="75"/>
        <source>Join the chain with an enrolment code from HQ</source>
        <translation>使用总部的注册码加入连锁</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="79"/>
        <source>A store on its own, or the first counter of a store HQ does not know yet. You give the store&apos;s code, name, time zone and currency.</source>
        <translation>独立门店，或总部尚未登记的门店的第一台柜台。您需要填写门店代码、名称、时区和货币。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="81"/>
        <source>HQ has registered this store and printed a one-time code for it. The store&apos;s name, time zone, currency, price book and service types come from HQ.</source>
        <translation>总部已登记此门店并为其打印了一次性注册码。门店名称、时区、货币、价目表和服务类型都来自总部。</translation>
    </message>
</context>
<context>
    <name>NewRecoveryKeyDialog</name>
    <message>
        <location filename="../../desktop/views/database_key.py" line="106"/>
        <source>The new recovery key</source>
        <translation>新的恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="109"/>
        <source>This is the store&apos;s new recovery key. Write it down, or save its sheet and print it, now: it is shown only this once. It takes effect when you confirm that you have stored it; until then the old recovery key keeps working.</source>
        <translation>这是本门店的新恢复密钥。请立即抄下，或保存其打印页并打印出来：它只显示这一次。在您确认已妥善保存后它才生效；在此之前旧的恢复密钥仍然有效。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="124"/>
        <source>I have stored the recovery key</source>
        <translation>我已妥善保存恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="135"/>
        <source>Save the recovery key sheet…</source>
        <translation>保存恢复密钥打印页…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="140"/>
        <source>Keep the old key</source>
        <translation>保留旧密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="144"/>
        <source>Use this recovery key</source>
        <translation>启用此恢复密钥</translation>
    </message>
</context>
<context>
    <name>PartsTab</name>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="31"/>
        <source>SKU</source>
        <translation>商品编号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="32"/>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="33"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="34"/>
        <source>Charged</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="35"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="36"/>
        <source>In stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="42"/>
        <source>Delivered:</source>
        <translation>到货数量：</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="46"/>
        <source>Book in the selected part</source>
        <translation>所选配件入库</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="50"/>
        <source>Parts are here: start repair</source>
        <translation>配件已到：开始维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="60"/>
        <source>Waiting for: {0}. Book parts in when they arrive, then start the repair.</source>
        <translation>等待配件：{0}。配件到货后请先入库，再开始维修。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="63"/>
        <source>No parts on this ticket.</source>
        <translation>此工单没有配件。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/parts_tab.py" line="65"/>
        <source>Parts are reserved when the customer accepts the quote, used when the repair is done and released if the ticket is cancelled.</source>
        <translation>客户接受报价时预留配件，维修完成时扣用，工单取消时释放。</translation>
    </message>
</context>
<context>
    <name>PassphrasePage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="77"/>
        <source>Open the store database</source>
        <translation>打开门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="78"/>
        <source>This computer has no secure keyring. Enter the store passphrase.</source>
        <translation>本机没有安全的系统密钥环。请输入门店密码短语。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="81"/>
        <source>Store passphrase</source>
        <translation>门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="88"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="92"/>
        <source>Use the recovery key</source>
        <translation>使用恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="94"/>
        <source>Forgot the passphrase? The recovery key printed at set-up opens the store</source>
        <translation>忘记口令了？设置时打印的恢复密钥可以打开门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="113"/>
        <source>Demo store: the passphrase is {0}</source>
        <translation>演示门店：密码短语为 {0}</translation>
    </message>
</context>
<context>
    <name>PickupTab</name>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="48"/>
        <source>Collected by</source>
        <translation>取机人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="52"/>
        <source>Scan the intake receipt or type the phone&apos;s last 4 digits</source>
        <translation>扫描收件单或输入手机号后4位</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="53"/>
        <source>Identity</source>
        <translation>身份核验</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="63"/>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="70"/>
        <source>Sign on the customer display</source>
        <translation>在顾客显示屏上签名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="78"/>
        <source>Signature</source>
        <translation>签名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="80"/>
        <source>…or the customer types their name</source>
        <translation>…或由客户输入姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="87"/>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="121"/>
        <source>Choose how the customer paid…</source>
        <translation>请选择付款方式…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="90"/>
        <source>Payment</source>
        <translation>付款</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="95"/>
        <source>Hand over the device</source>
        <translation>交付设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="100"/>
        <source>Manager override…</source>
        <translation>店长特批交付…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="111"/>
        <source>Ask the customer&apos;s opinion on the display</source>
        <translation>请顾客在显示屏上评价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="126"/>
        <source>Record payment</source>
        <translation>登记付款</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="133"/>
        <source>Returned under warranty…</source>
        <translation>保修期内返修…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="135"/>
        <source>Void pickup…</source>
        <translation>撤销取机…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="137"/>
        <source>Void payment…</source>
        <translation>撤销付款…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="159"/>
        <source>Handed over {0} to {1} · {2}</source>
        <translation>{0} 已交付给 {1} · {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="162"/>
        <source>signed: {0}</source>
        <translation>签名：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="171"/>
        <source>Amount due: {0}</source>
        <translation>应付金额：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="172"/>
        <source>Nothing to pay.</source>
        <translation>无需付款。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="184"/>
        <source>The repair&apos;s warranty runs until {0}.</source>
        <translation>本次维修的保修期至 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="164"/>
        <source>The repaired device goes back to the customer.</source>
        <translation>维修好的设备交还客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="165"/>
        <source>The device goes back unrepaired.</source>
        <translation>设备未维修，原样交还。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/pickup_tab.py" line="167"/>
        <source>The device can be handed over once it is ready for pickup.</source>
        <translation>设备进入待取机状态后才能交付。</translation>
    </message>
</context>
<context>
    <name>Preview</name>
    <message>
        <location filename="../../desktop/views/preview.py" line="286"/>
        <source>Service report</source>
        <translation>维修服务报告</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="287"/>
        <source>Intake receipt</source>
        <translation>维修收机单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="288"/>
        <source>Device label</source>
        <translation>设备标签</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="289"/>
        <source>Trade-in receipt</source>
        <translation>以旧换新回收单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="290"/>
        <source>Member card</source>
        <translation>会员卡</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="291"/>
        <source>Welcome letter</source>
        <translation>入会欢迎信</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="292"/>
        <source>Customer data export</source>
        <translation>顾客数据导出</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../../desktop/views/preview.py" line="142"/>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="147"/>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="151"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="156"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="174"/>
        <source>Preparing the document…</source>
        <translation>正在生成文档…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="217"/>
        <source>1 page</source>
        <translation>1 页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="217"/>
        <source>{0} pages</source>
        <translation>{0} 页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="223"/>
        <source>The document could not be made.</source>
        <translation>无法生成文档。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="245"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="255"/>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/views/preview.py" line="256"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>PrinterPage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="163"/>
        <source>Printers</source>
        <translation>打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="164"/>
        <source>The receipt printer prints intake receipts; the label printer prints the labels stuck on devices. Both can be changed later.</source>
        <translation>小票打印机打印收件小票；标签打印机打印贴在设备上的标签。两者以后都可以更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="169"/>
        <source>No printers are installed on this computer yet. A test page is saved as a PDF file instead.</source>
        <translation>这台电脑尚未安装打印机。测试页将另存为 PDF 文件。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="173"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="174"/>
        <source>Label printer</source>
        <translation>标签打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="176"/>
        <source>None for now</source>
        <translation>暂不设置</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="179"/>
        <source>Print a test page</source>
        <translation>打印测试页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="210"/>
        <source>Save the test page</source>
        <translation>保存测试页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="211"/>
        <source>PDF documents (*.pdf)</source>
        <translation>PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_machine.py" line="219"/>
        <source>Test page sent to {0}.</source>
        <translation>测试页已发送到 {0}。</translation>
    </message>
</context>
<context>
    <name>ProfilePanel</name>
    <message>
        <location filename="../../desktop/views/profile.py" line="67"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="67"/>
        <source>Email</source>
        <translation>电子邮箱</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="68"/>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="68"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="69"/>
        <source>Customer since</source>
        <translation>建档时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="69"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="83"/>
        <source>Edit</source>
        <translation>编辑</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="83"/>
        <source>Book appointment</source>
        <translation>新建预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="84"/>
        <source>Repair intake</source>
        <translation>维修收机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="85"/>
        <location filename="../../desktop/views/profile.py" line="138"/>
        <source>Trade-in</source>
        <translation>以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="86"/>
        <source>Enroll in loyalty</source>
        <translation>办理入会</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="87"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="88"/>
        <source>Record a complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="102"/>
        <source>Consents</source>
        <translation>授权同意</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="106"/>
        <source>Marketing by SMS</source>
        <translation>短信营销</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="106"/>
        <source>Marketing by email</source>
        <translation>电子邮件营销</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="107"/>
        <source>Data transfer to headquarters</source>
        <translation>向总部传输数据</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="107"/>
        <source>Loyalty programme</source>
        <translation>会员计划</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="121"/>
        <source>Devices</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="124"/>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="125"/>
        <source>Serial / IMEI</source>
        <translation>序列号 / IMEI</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="126"/>
        <source>Bought</source>
        <translation>购买日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="127"/>
        <source>Warranty</source>
        <translation>保修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="136"/>
        <source>Timeline</source>
        <translation>时间线</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="138"/>
        <source>Appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="138"/>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="139"/>
        <source>Loyalty</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="139"/>
        <source>Purchase</source>
        <translation>购物</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="139"/>
        <source>Survey</source>
        <translation>调查</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="140"/>
        <source>Feedback</source>
        <translation>意见反馈</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="140"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="140"/>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="142"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="143"/>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="144"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="145"/>
        <location filename="../../desktop/views/profile.py" line="167"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="156"/>
        <source>Add a note…</source>
        <translation>添加备注…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="162"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="165"/>
        <source>Opened</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="166"/>
        <source>Category</source>
        <translation>类别</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="166"/>
        <source>to classify</source>
        <translation>待分类</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="168"/>
        <source>Words</source>
        <translation>原话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="180"/>
        <source>Privacy (managers)</source>
        <translation>隐私（店长）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="182"/>
        <source>Merge with…</source>
        <translation>合并到…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="182"/>
        <source>Export data…</source>
        <translation>导出数据…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="183"/>
        <source>Erase customer…</source>
        <translation>删除客户…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="196"/>
        <source>in warranty until {0}</source>
        <translation>保修至 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="198"/>
        <source>covered until {0}</source>
        <translation>保障至 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="200"/>
        <source>expired</source>
        <translation>已过期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="168"/>
        <location filename="../../desktop/views/profile.py" line="230"/>
        <source>hidden for your role</source>
        <translation>已对您的角色隐藏</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="234"/>
        <source>{0} · {1} points</source>
        <translation>{0} · {1} 积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="235"/>
        <source>not a member</source>
        <translation>非会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="241"/>
        <source>{0} · {1} · notice {2}</source>
        <translation>{0} · {1} · 告知书版本 {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="242"/>
        <source>never asked</source>
        <translation>从未征询</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="339"/>
        <source>Export customer data</source>
        <translation>导出客户数据</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="339"/>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="360"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="361"/>
        <source>The customer&apos;s data was written to {0}.</source>
        <translation>客户数据已写入 {0}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="370"/>
        <source>Erase customer</source>
        <translation>删除客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/profile.py" line="371"/>
        <source>Erase this customer&apos;s personal data? Names, contact details, notes and device identifiers are removed for good; amounts stay for the accounts. This cannot be undone.</source>
        <translation>要删除此客户的个人数据吗？姓名、联系方式、备注和设备识别码将被永久删除；金额记录会保留用于记账。此操作无法撤销。</translation>
    </message>
</context>
<context>
    <name>QcTab</name>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="23"/>
        <source>Repair</source>
        <translation>维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="26"/>
        <source>What was done (optional)</source>
        <translation>维修内容（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="28"/>
        <source>Repair done: to quality check</source>
        <translation>维修完成：转质检</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="33"/>
        <source>Quality check</source>
        <translation>质检</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="44"/>
        <source>Note (optional)</source>
        <translation>备注（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="49"/>
        <source>Failed: back to repair</source>
        <translation>未通过：退回维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="51"/>
        <source>Passed: ready for pickup</source>
        <translation>通过：待取机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="75"/>
        <source>passed</source>
        <translation>通过</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="75"/>
        <source>failed: {0}</source>
        <translation>未通过：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/qc_tab.py" line="76"/>
        <source>Last check {0}.</source>
        <translation>上次质检：{0}。</translation>
    </message>
</context>
<context>
    <name>QueueModel</name>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="45"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="46"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="47"/>
        <source>Here</source>
        <translation>已等</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="47"/>
        <source>{0} min</source>
        <translation>{0} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="49"/>
        <source>Wait</source>
        <translation>预计</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="55"/>
        <source>not today</source>
        <translation>今天无法安排</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="57"/>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/models.py" line="58"/>
        <source>~{0} min</source>
        <translation>约 {0} 分钟</translation>
    </message>
</context>
<context>
    <name>QueuePanel</name>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="162"/>
        <source>Walk-in queue</source>
        <translation>现场排队</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="185"/>
        <source>Add walk-in…</source>
        <translation>加入排队…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="186"/>
        <source>Someone without a booking (Ctrl+Shift+W)</source>
        <translation>未预约的顾客 (Ctrl+Shift+W)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="191"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="194"/>
        <source>Whoever is free</source>
        <translation>谁有空都可以</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="198"/>
        <source>Call next</source>
        <translation>叫下一位</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="200"/>
        <source>Serve the next walk-in now (Ctrl+Shift+C)</source>
        <translation>现在为下一位排队顾客服务 (Ctrl+Shift+C)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="203"/>
        <source>Assign</source>
        <translation>指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="204"/>
        <source>Move the selected walk-in to this technician</source>
        <translation>把所选排队顾客交给这位技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="206"/>
        <source>Left</source>
        <translation>已离开</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="207"/>
        <source>The selected walk-in left without being served</source>
        <translation>所选排队顾客未接受服务就离开了</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="221"/>
        <source>The queue is for today.</source>
        <translation>排队只适用于今天。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="258"/>
        <source>{0} goes to {1}.</source>
        <translation>{0} 由 {1} 接待。</translation>
    </message>
</context>
<context>
    <name>QuoteTab</name>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="39"/>
        <source>Findings</source>
        <translation>检测结果</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="46"/>
        <source>Accidental or liquid damage (the manufacturer&apos;s warranty does not cover it)</source>
        <translation>意外或进液损坏（不在厂商保修范围内）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="57"/>
        <source>Labour</source>
        <translation>工时费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="72"/>
        <source>Not repairable</source>
        <translation>无法维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="73"/>
        <source>Return the device as it is; the findings are kept.</source>
        <translation>设备按原样退还；检测结果会保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="75"/>
        <source>Revise quote</source>
        <translation>修改报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="77"/>
        <source>Save quote</source>
        <translation>保存报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="90"/>
        <source>Find a part: SKU, name or model</source>
        <translation>查找配件：SKU、名称或型号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="94"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="100"/>
        <source>SKU</source>
        <translation>商品编号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="101"/>
        <location filename="../../desktop/views/bench/quote_tab.py" line="122"/>
        <source>Part</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="102"/>
        <source>Price</source>
        <translation>价格</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="104"/>
        <location filename="../../desktop/views/bench/quote_tab.py" line="126"/>
        <source>In stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="111"/>
        <source>Add to quote</source>
        <translation>加入报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="113"/>
        <source>Remove line</source>
        <translation>删除此行</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="115"/>
        <source>Charge this line even if covered</source>
        <translation>即使在保修范围内也对此行收费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="123"/>
        <source>Qty</source>
        <translation>数量</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="124"/>
        <source>Unit price</source>
        <translation>单价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="125"/>
        <source>Charged</source>
        <translation>收费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="189"/>
        <source>covered</source>
        <translation>保修内</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="208"/>
        <source>Warranty decision: {0}</source>
        <translation>保修判定：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="210"/>
        <source>Parts {0} · Labour {1} · Total {2}</source>
        <translation>配件 {0} · 工时 {1} · 合计 {2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="214"/>
        <source>includes {0} {1}: {2}</source>
        <translation>含{0} {1}：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="214"/>
        <source>with {0} {1} added: {2}</source>
        <translation>另加{0} {1}：{2}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="218"/>
        <source>Above the customer&apos;s limit of {0}: the customer will be asked to approve.</source>
        <translation>超出客户的授权额度 {0}：需征求客户确认。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/quote_tab.py" line="221"/>
        <source>Within the customer&apos;s limit of {0}: the repair can go ahead.</source>
        <translation>在客户的授权额度 {0} 内：可直接维修。</translation>
    </message>
</context>
<context>
    <name>RecoveryKeyPage</name>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="78"/>
        <source>The store&apos;s recovery key</source>
        <translation>门店恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="80"/>
        <source>The recovery key is a second way into the store&apos;s data: when this computer loses its keyring or the passphrase is forgotten, it opens the store, and it lets a new administrator password be set. It is shown only now and kept nowhere on this computer.</source>
        <translation>恢复密钥是打开门店数据的第二种方式：当这台电脑丢失密钥环或忘记口令时，可以用它打开门店数据，也可以用它为管理员设置新密码。它只在此时显示一次，不会保存在这台电脑上。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="90"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="93"/>
        <source>Print it (or write it down) now and keep it away from this computer: in the store&apos;s safe, or with HQ&apos;s papers. Anyone who has it and this computer&apos;s files can open the store&apos;s data.</source>
        <translation>请现在打印（或抄写）下来，并存放在远离这台电脑的地方：门店的保险柜或总部的文件中。任何同时拥有它和这台电脑文件的人都能打开门店数据。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="95"/>
        <source>Print the recovery key</source>
        <translation>打印恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="99"/>
        <source>I have stored the recovery key</source>
        <translation>我已妥善保存恢复密钥</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <location filename="../../desktop/views/recovery.py" line="63"/>
        <location filename="../../desktop/views/recovery.py" line="154"/>
        <source>This computer no longer has the store&apos;s key</source>
        <translation>本机已没有门店的密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="107"/>
        <source>Orchard will not make a new, empty store over this one. Its backups open only with the recovery key too, so without the key a backup does not help. HQ still holds what this store synced: call your support, and a new store set up and enrolled with HQ gets the synced customers back.</source>
        <translation>Orchard 不会用一个新的空门店覆盖这个门店。它的备份同样只能用恢复密钥打开，所以没有恢复密钥，备份也帮不上忙。总部仍保存着本门店已同步的数据：请联系技术支持，新设置并在总部登记的门店会取回已同步的顾客。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="153"/>
        <source>Open the store with its recovery key</source>
        <translation>用恢复密钥打开门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="156"/>
        <source>When nobody remembers the store passphrase, the recovery key from the sheet printed when the store was set up opens the store instead. The store&apos;s data is still here and nothing has been deleted.</source>
        <translation>如果没有人记得门店口令，可以用设置门店时打印的恢复密钥来打开门店。门店的数据仍在这里，没有任何内容被删除。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="159"/>
        <source>The key that opens this store&apos;s database is not in this computer&apos;s keyring any more, or the keyring cannot be read (for example after the user profile was rebuilt or the computer was restored). The store&apos;s data is still here and nothing has been deleted.</source>
        <translation>打开本门店数据库的密钥已不在本机的系统密钥环中，或者密钥环无法读取（例如用户配置文件重建或电脑还原之后）。门店数据仍在，没有任何内容被删除。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="78"/>
        <location filename="../../desktop/views/recovery.py" line="81"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="59"/>
        <source>Back to the passphrase</source>
        <translation>返回输入口令</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="91"/>
        <source>New store passphrase</source>
        <translation>新的门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="92"/>
        <source>New passphrase again</source>
        <translation>再次输入新密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="99"/>
        <source>Store passphrase</source>
        <translation>门店口令</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="102"/>
        <source>Use the store passphrase instead</source>
        <translation>改用门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="119"/>
        <source>Open the store</source>
        <translation>打开门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="163"/>
        <source>Enter the recovery key, then choose a new store passphrase: from now on the store opens with it, and the recovery key keeps working.</source>
        <translation>请输入恢复密钥，然后设置新的门店口令：今后用它打开门店，恢复密钥仍然有效。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="165"/>
        <source>Enter the recovery key from the sheet printed when the store was set up. Orchard then opens the store and puts the key back in this computer&apos;s keyring.</source>
        <translation>请输入门店设置时打印的恢复密钥。Orchard 随后会打开门店，并把密钥放回本机的系统密钥环。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/recovery.py" line="167"/>
        <source>Enter the recovery key from the sheet printed when the store was set up. This computer has no secure keyring now, so also choose a store passphrase: from now on the store opens with it.</source>
        <translation>请输入门店设置时打印的恢复密钥。本机现在没有安全的系统密钥环，因此还需设置门店密码短语：今后用它打开门店。</translation>
    </message>
</context>
<context>
    <name>RedeemDialog</name>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="135"/>
        <source>Redeem points</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="149"/>
        <source>e.g. voucher, money off ticket SH01-000123 (optional)</source>
        <translation>例如：代金券、抵扣工单 SH01-000123（可选）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="150"/>
        <source>Points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="151"/>
        <source>Worth</source>
        <translation>价值</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="152"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="153"/>
        <source>Balance {0} points; redeem in steps of {1}.</source>
        <translation>余额 {0} 积分；以 {1} 为单位兑换。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="157"/>
        <source>Redeem</source>
        <translation>兑换</translation>
    </message>
</context>
<context>
    <name>ReportsScreen</name>
    <message>
        <location filename="../../desktop/views/reports.py" line="40"/>
        <source>Appointments today</source>
        <translation>今日预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="41"/>
        <source>Checked in today</source>
        <translation>今日到店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="42"/>
        <source>Open repair tickets</source>
        <translation>未结维修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="43"/>
        <source>Ready for pickup</source>
        <translation>待取机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="44"/>
        <source>Open trade-in quotes</source>
        <translation>未结以旧换新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="45"/>
        <source>Loyalty members</source>
        <translation>会员人数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="46"/>
        <source>Customers</source>
        <translation>客户数</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="65"/>
        <source>Printable reports</source>
        <translation>可打印报表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="77"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="79"/>
        <location filename="../../desktop/views/reports.py" line="114"/>
        <source>Day report</source>
        <translation>日报</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="83"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="83"/>
        <source>To</source>
        <translation>至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="84"/>
        <location filename="../../desktop/views/reports.py" line="114"/>
        <source>Period report</source>
        <translation>期间报表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="84"/>
        <source>Technicians</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="85"/>
        <source>Loyalty</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="85"/>
        <source>Trade-in</source>
        <translation>以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="86"/>
        <source>Satisfaction</source>
        <translation>满意度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="100"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="107"/>
        <source>The first day must not be after the last day.</source>
        <translation>开始日期不能晚于结束日期。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="115"/>
        <source>Technician productivity</source>
        <translation>技术员工作效率</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="115"/>
        <source>Loyalty summary</source>
        <translation>会员汇总</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="116"/>
        <source>Trade-in summary</source>
        <translation>以旧换新汇总</translation>
    </message>
    <message>
        <location filename="../../desktop/views/reports.py" line="116"/>
        <source>Customer satisfaction</source>
        <translation>顾客满意度</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="126"/>
        <source>Restore a backup</source>
        <translation>恢复备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="131"/>
        <source>Backup of {when}</source>
        <translation>{when} 的备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="136"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="136"/>
        <source>Repair tickets</source>
        <translation>维修单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="137"/>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="138"/>
        <source>Loyalty entries</source>
        <translation>积分记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="143"/>
        <source>Not yet synced with HQ when it was made</source>
        <translation>备份时尚未与总部同步的更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="145"/>
        <source>Changes here that never reached HQ</source>
        <translation>本机从未到达总部的更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="156"/>
        <source>This backup was not made from this store database: the store&apos;s recovery key (on the sheet printed at set-up) opens it.</source>
        <translation>此备份不是从本门店数据库创建的：门店的恢复密钥（设置时打印的那张纸上）可以打开它。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="161"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="165"/>
        <source>This backup replaces the store database, and what is said above to be lost is lost. The current database is kept aside.</source>
        <translation>此备份将替换门店数据库，上面所说会丢失的内容将会丢失。当前数据库会另行保留。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="169"/>
        <source>I understand: restore this backup</source>
        <translation>我明白：恢复此备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="174"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/backup_panel.py" line="177"/>
        <source>Restore</source>
        <translation>恢复</translation>
    </message>
</context>
<context>
    <name>RotaPanel</name>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="54"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="174"/>
        <source>Skills</source>
        <translation>技能</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="191"/>
        <source>Save skills</source>
        <translation>保存技能</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="64"/>
        <source>Usual week</source>
        <translation>常规每周排班</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="66"/>
        <location filename="../../desktop/views/appointments/rota.py" line="98"/>
        <source>Day</source>
        <translation>星期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="66"/>
        <location filename="../../desktop/views/appointments/rota.py" line="100"/>
        <source>From</source>
        <translation>开始</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="66"/>
        <location filename="../../desktop/views/appointments/rota.py" line="101"/>
        <source>To</source>
        <translation>结束</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="66"/>
        <source>Break from</source>
        <translation>休息开始</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="67"/>
        <source>Break to</source>
        <translation>休息结束</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="72"/>
        <source>Monday</source>
        <translation>星期一</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="72"/>
        <source>Tuesday</source>
        <translation>星期二</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="72"/>
        <source>Wednesday</source>
        <translation>星期三</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="72"/>
        <source>Thursday</source>
        <translation>星期四</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="73"/>
        <source>Friday</source>
        <translation>星期五</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="73"/>
        <source>Saturday</source>
        <translation>星期六</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="73"/>
        <source>Sunday</source>
        <translation>星期日</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="89"/>
        <source>Save week</source>
        <translation>保存每周排班</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="95"/>
        <source>Exceptions: sick days, changed hours, extra breaks</source>
        <translation>例外：病假、调整时间、额外休息</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="99"/>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="102"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="125"/>
        <source>Note (e.g. sick, training)</source>
        <translation>备注（如病假、培训）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="126"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="128"/>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="134"/>
        <source>A sick day without times covers the whole day. Changed hours replace the usual week on that day.</source>
        <translation>不填时间的病假覆盖全天。调整时间会替代当天的常规排班。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="143"/>
        <source>Booking rules</source>
        <translation>预约规则</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="148"/>
        <location filename="../../desktop/views/appointments/rota.py" line="152"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="154"/>
        <source>Minimum notice for a booking</source>
        <translation>最短提前预约时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="155"/>
        <source>No-show after (grace period)</source>
        <translation>超过多久算未到店（宽限期）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="162"/>
        <source>Save rules</source>
        <translation>保存规则</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="190"/>
        <source>Other skills, separated by commas</source>
        <translation>其他技能，用逗号分隔</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="202"/>
        <source>No skills yet</source>
        <translation>尚无技能</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="221"/>
        <source>Sick day / absence</source>
        <translation>病假 / 缺勤</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="221"/>
        <source>Changed hours</source>
        <translation>调整时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="222"/>
        <source>Extra break</source>
        <translation>额外休息</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="313"/>
        <source>{0}: enter times as hh:mm, e.g. 09:30</source>
        <translation>{0}：请按 hh:mm 输入时间，例如 09:30</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/rota.py" line="337"/>
        <source>Enter times as hh:mm, e.g. 09:30</source>
        <translation>请按 hh:mm 输入时间，例如 09:30</translation>
    </message>
</context>
<context>
    <name>RotateDialog</name>
    <message>
        <location filename="../../desktop/views/database_key.py" line="46"/>
        <source>Change the database key</source>
        <translation>更换数据库密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="51"/>
        <source>Orchard will encrypt the store database again under a new key. This takes a moment; the counter waits until it is done. The store&apos;s recovery key keeps working, and nobody needs to sign in again.</source>
        <translation>Orchard 将用新密钥重新加密门店数据库。这需要片刻，期间本柜台需等待完成。门店的恢复密钥仍然有效，无需任何人重新登录。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="60"/>
        <source>This store is opened with a passphrase: choose the new one. Everyone who opens this counter&apos;s store needs it from now on.</source>
        <translation>本门店用密码短语打开：请设置新的密码短语。今后凡在本柜台打开门店的人都需要它。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="67"/>
        <source>New store passphrase</source>
        <translation>新的门店密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="68"/>
        <source>New passphrase again</source>
        <translation>再次输入新密码短语</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="73"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="76"/>
        <source>Change the key</source>
        <translation>更换密钥</translation>
    </message>
</context>
<context>
    <name>ScanRouter</name>
    <message>
        <location filename="../../desktop/scan_router.py" line="71"/>
        <source>This code is a repair ticket. Your role ({0}) may not open the Bench.</source>
        <translation>此码是维修单。您的角色（{0}）无权打开维修台。</translation>
    </message>
    <message>
        <location filename="../../desktop/scan_router.py" line="72"/>
        <source>This code is a trade-in quote. Your role ({0}) may not open Trade-in.</source>
        <translation>此码是以旧换新估价。您的角色（{0}）无权打开以旧换新。</translation>
    </message>
    <message>
        <location filename="../../desktop/scan_router.py" line="73"/>
        <source>This code is a member card. Your role ({0}) may not open customer profiles.</source>
        <translation>此码是会员卡。您的角色（{0}）无权打开客户资料。</translation>
    </message>
    <message>
        <location filename="../../desktop/scan_router.py" line="74"/>
        <source>Your role ({0}) may not look customers up.</source>
        <translation>您的角色（{0}）无权查找客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/scan_router.py" line="76"/>
        <source>Scan</source>
        <translation>扫码</translation>
    </message>
</context>
<context>
    <name>Screen</name>
    <message>
        <location filename="../../desktop/views/base.py" line="62"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
</context>
<context>
    <name>ScriptBox</name>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="52"/>
        <source>What to say</source>
        <translation>应答话术</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="58"/>
        <source>Acknowledge</source>
        <translation>致歉与确认</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="58"/>
        <source>Ask</source>
        <translation>询问</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="59"/>
        <source>What may be offered</source>
        <translation>可提供的补偿</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="59"/>
        <source>When to escalate</source>
        <translation>何时上报</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="71"/>
        <source>Classify the complaint to see the script for its category.</source>
        <translation>为投诉分类后即可看到该类别的应答话术。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/detail.py" line="72"/>
        <source>The region has published no script for this category yet.</source>
        <translation>区域尚未发布该类别的应答话术。</translation>
    </message>
</context>
<context>
    <name>SettingsScreen</name>
    <message>
        <location filename="../../desktop/views/settings.py" line="53"/>
        <source>This counter</source>
        <translation>本柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="58"/>
        <source>System language</source>
        <translation>跟随系统语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="61"/>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="62"/>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="66"/>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="67"/>
        <source>Theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="76"/>
        <source>Store (managers)</source>
        <translation>门店（店长）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="79"/>
        <source>Lock counters after</source>
        <translation>柜台自动锁定时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="83"/>
        <source> min without input</source>
        <translation> 分钟无操作</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="85"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="94"/>
        <source>Locked accounts</source>
        <translation>已锁定的账户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="96"/>
        <source>Staff</source>
        <translation>员工</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="97"/>
        <source>Locked until</source>
        <translation>锁定至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="98"/>
        <source>PIN blocked</source>
        <translation>PIN 码已停用</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="98"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="108"/>
        <source>Unlock selected account</source>
        <translation>解锁所选账户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="176"/>
        <source>Database (administrators)</source>
        <translation>数据库（管理员）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="180"/>
        <source>Store database</source>
        <translation>门店数据库</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="188"/>
        <source>Sync &amp; settings</source>
        <translation>同步与设置</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="208"/>
        <source>key in the OS keyring</source>
        <translation>密钥保存在系统密钥环中</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="209"/>
        <source>key from the store passphrase</source>
        <translation>密钥由门店密码短语生成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="210"/>
        <source>Encrypted (SQLCipher)</source>
        <translation>已加密（SQLCipher）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="115"/>
        <source>Tax (managers)</source>
        <translation>税（店长）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="119"/>
        <source>e.g. 13 or 8.875</source>
        <translation>例如 13 或 8.875</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="125"/>
        <source>Rate</source>
        <translation>税率</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="128"/>
        <source>Prices include tax</source>
        <translation>价格已含税</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="137"/>
        <source>Printed on receipts, e.g. VAT, GST, Sales tax</source>
        <translation>印在收据上，例如 增值税、GST、Sales tax</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="138"/>
        <source>Label</source>
        <translation>名称</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="151"/>
        <source>Save tax</source>
        <translation>保存税设置</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="251"/>
        <source>Saved: no tax is charged.</source>
        <translation>已保存：不收税。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="253"/>
        <source>Saved: {rate} {label}, included in prices.</source>
        <translation>已保存：{rate} {label}，已含在价格中。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/settings.py" line="256"/>
        <source>Saved: {rate} {label}, added to prices.</source>
        <translation>已保存：{rate} {label}，在价格之外另加。</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="116"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="118"/>
        <source>Leave set-up; your answers so far are kept for next time</source>
        <translation>离开设置；已填写的内容会保留到下次</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="120"/>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="167"/>
        <source>Set up Orchard: step {0} of {1}</source>
        <translation>设置 Orchard：第 {0} 步，共 {1} 步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="168"/>
        <source>Set up Orchard: done</source>
        <translation>设置 Orchard：完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="179"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="179"/>
        <source>Create the store</source>
        <translation>创建门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="180"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="267"/>
        <source>Asking HQ about the store…</source>
        <translation>正在向总部查询门店信息…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="267"/>
        <source>Making the encrypted database…</source>
        <translation>正在创建加密数据库…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="268"/>
        <source>Adding the store and its administrator…</source>
        <translation>正在添加门店及其管理员…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="269"/>
        <source>Enrolling with HQ and fetching its price book and service types…</source>
        <translation>正在向总部注册并获取价目表和服务类型…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="270"/>
        <source>Keeping the printers and the backup folder…</source>
        <translation>正在保存打印机和备份文件夹设置…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="271"/>
        <source>Putting the database in place…</source>
        <translation>正在将数据库放到位…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="271"/>
        <source>Done.</source>
        <translation>完成。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="342"/>
        <source>The recovery key is not confirmed</source>
        <translation>恢复密钥尚未确认</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="343"/>
        <source>The store is made, but nobody has confirmed that its recovery key is stored. Without it, a lost keyring or a forgotten passphrase locks the store&apos;s data away, and its backups with it. Stay to print or write down the key, then tick &quot;I have stored the recovery key&quot;. If you close now, the administrator is asked at sign-in to make a new recovery key.</source>
        <translation>门店已创建，但还没有人确认已保存其恢复密钥。没有它，一旦密钥环丢失或口令被遗忘，门店的数据及其备份都将无法打开。请留在此页打印或抄下密钥，然后勾选“我已妥善保存恢复密钥”。如果现在关闭，管理员登录时会被要求生成新的恢复密钥。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="349"/>
        <source>Close anyway</source>
        <translation>仍然关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="350"/>
        <source>Stay</source>
        <translation>留在此页</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="380"/>
        <source>Recovery key</source>
        <translation>恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="389"/>
        <source>Test page: receipt printer</source>
        <translation>测试页：小票打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/wizard.py" line="390"/>
        <source>Test page: label printer</source>
        <translation>测试页：标签打印机</translation>
    </message>
</context>
<context>
    <name>ShellPage</name>
    <message>
        <location filename="../../desktop/shell.py" line="233"/>
        <source>Find a customer (name, phone, email, IMEI, member card) or scan a ticket or voucher (Ctrl+F)</source>
        <translation>查找客户（姓名、电话、邮箱、IMEI、会员卡）或扫描维修单、代金券（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../../desktop/shell.py" line="235"/>
        <source>Screens</source>
        <translation>界面</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <location filename="../../desktop/shortcuts.py" line="23"/>
        <source>Everywhere</source>
        <translation>所有界面</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="24"/>
        <source>Customers</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="25"/>
        <source>Appointments</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="26"/>
        <source>Bench</source>
        <translation>维修台</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="27"/>
        <source>Trade-in</source>
        <translation>以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="28"/>
        <source>Loyalty</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="29"/>
        <source>Reports</source>
        <translation>报表</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="30"/>
        <source>Customer care</source>
        <translation>客户关怀</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="31"/>
        <source>Sync &amp; settings</source>
        <translation>同步与设置</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="32"/>
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="33"/>
        <source>Repair intake (dialog)</source>
        <translation>维修接收（对话框）</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="34"/>
        <source>Print preview (dialog)</source>
        <translation>打印预览（对话框）</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="63"/>
        <source>Show the keyboard shortcuts of this screen</source>
        <translation>显示本界面的键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="64"/>
        <source>Find a customer (the search box on top)</source>
        <translation>查找客户（顶部搜索框）</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="66"/>
        <source>Go to a screen by its place in the list on the left</source>
        <translation>按左侧列表中的位置切换界面</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="67"/>
        <source>Lock the counter</source>
        <translation>锁定柜台</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="68"/>
        <source>Switch user</source>
        <translation>切换用户</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="69"/>
        <source>Quit Orchard</source>
        <translation>退出 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="70"/>
        <source>New customer</source>
        <translation>新建客户</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="71"/>
        <source>Edit the open customer</source>
        <translation>编辑当前客户</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="72"/>
        <source>Book an appointment for the open customer</source>
        <translation>为当前客户预约</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="73"/>
        <source>Repair intake for the open customer</source>
        <translation>为当前客户办理维修接收</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="74"/>
        <source>Trade-in for the open customer</source>
        <translation>为当前客户办理以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="75"/>
        <source>Print the open customer&apos;s profile</source>
        <translation>打印当前客户资料</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="76"/>
        <source>New booking</source>
        <translation>新建预约</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="77"/>
        <source>Load the day again</source>
        <translation>重新载入当天</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="78"/>
        <source>Previous day</source>
        <translation>前一天</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="79"/>
        <source>Next day</source>
        <translation>后一天</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="80"/>
        <source>Today</source>
        <translation>今天</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="81"/>
        <source>Calendar view</source>
        <translation>日历视图</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="82"/>
        <source>List view</source>
        <translation>列表视图</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="83"/>
        <source>Check in the chosen appointment</source>
        <translation>为所选预约到店登记</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="84"/>
        <source>Start the service</source>
        <translation>开始服务</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="85"/>
        <source>Mark the service done</source>
        <translation>标记服务完成</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="86"/>
        <source>Mark a no-show</source>
        <translation>标记未到店</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="87"/>
        <source>Move the appointment</source>
        <translation>改约</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="88"/>
        <source>Cancel the appointment</source>
        <translation>取消预约</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="89"/>
        <source>Add a walk-in</source>
        <translation>添加无预约到店客户</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="90"/>
        <source>Call the next walk-in</source>
        <translation>叫下一位到店客户</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="91"/>
        <source>New repair intake</source>
        <translation>新建维修接收</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="92"/>
        <location filename="../../desktop/shortcuts.py" line="96"/>
        <location filename="../../desktop/shortcuts.py" line="99"/>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="93"/>
        <source>Back to the board</source>
        <translation>返回看板</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="94"/>
        <source>New trade-in</source>
        <translation>新建以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="95"/>
        <source>Enrol a customer</source>
        <translation>办理会员入会</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="97"/>
        <source>Earn points</source>
        <translation>获得积分</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="98"/>
        <source>Redeem points</source>
        <translation>兑换积分</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="100"/>
        <source>Load the due list again</source>
        <translation>重新载入待办列表</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="101"/>
        <source>Load the trail again</source>
        <translation>重新加载审计记录</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="102"/>
        <source>Check in the device</source>
        <translation>接收设备</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="103"/>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location filename="../../desktop/shortcuts.py" line="104"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
</context>
<context>
    <name>ShortcutsDialog</name>
    <message>
        <location filename="../../desktop/views/help.py" line="14"/>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <location filename="../../desktop/views/help.py" line="19"/>
        <source>On this screen: {0}</source>
        <translation>本界面：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/help.py" line="27"/>
        <source>This screen has no shortcuts of its own.</source>
        <translation>本界面没有专用快捷键。</translation>
    </message>
</context>
<context>
    <name>SignInPage</name>
    <message>
        <location filename="../../desktop/views/gate.py" line="241"/>
        <source>Sign in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="250"/>
        <source>Who are you?</source>
        <translation>您是哪位？</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="255"/>
        <source>Choose who you are, then enter your PIN.</source>
        <translation>请先选择您的姓名，再输入 PIN。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="259"/>
        <source>or type your staff number</source>
        <translation>或输入您的工号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="238"/>
        <source>Forgot the admin password?</source>
        <translation>忘记管理员密码？</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="286"/>
        <source>Orchard {0}</source>
        <translation>Orchard {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="326"/>
        <source>HQ console: {0}</source>
        <translation>总部控制台：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/gate.py" line="327"/>
        <source>User {0}, password {1}</source>
        <translation>用户 {0}，密码 {1}</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../desktop/widgets/signature.py" line="100"/>
        <source>Customer signs here</source>
        <translation>请客户在此签名</translation>
    </message>
</context>
<context>
    <name>StorePage</name>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="100"/>
        <source>The store</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="113"/>
        <source>e.g. SH01</source>
        <translation>例如 SH01</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="123"/>
        <source>Store code</source>
        <translation>门店代码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="124"/>
        <source>Store name</source>
        <translation>门店名称</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="125"/>
        <location filename="../../desktop/views/setup/pages_store.py" line="157"/>
        <source>Country</source>
        <translation>国家/地区</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="126"/>
        <location filename="../../desktop/views/setup/pages_store.py" line="158"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="127"/>
        <location filename="../../desktop/views/setup/pages_store.py" line="159"/>
        <source>Currency</source>
        <translation>货币</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="141"/>
        <source>only if HQ uses its own certificate authority</source>
        <translation>仅当总部使用自有证书颁发机构时填写</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="144"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="154"/>
        <source>HQ address</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="155"/>
        <source>Enrolment code</source>
        <translation>注册码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="156"/>
        <location filename="../../desktop/views/setup/pages_store.py" line="187"/>
        <source>HQ&apos;s CA certificate</source>
        <translation>总部的 CA 证书</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="188"/>
        <source>Certificates (*.pem *.crt);;All files (*)</source>
        <translation>证书 (*.pem *.crt);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/pages_store.py" line="258"/>
        <source>This code is for store {0}, {1}.</source>
        <translation>此注册码属于门店 {0}，{1}。</translation>
    </message>
</context>
<context>
    <name>SummaryPage</name>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="20"/>
        <source>Ready to set up</source>
        <translation>准备就绪</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="20"/>
        <source>Check what will be made. Back changes an answer.</source>
        <translation>请核对将要创建的内容。点“上一步”可修改答案。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="40"/>
        <source>HQ</source>
        <translation>总部</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="42"/>
        <location filename="../../desktop/views/setup/finish.py" line="48"/>
        <source>Store</source>
        <translation>门店</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="43"/>
        <location filename="../../desktop/views/setup/finish.py" line="49"/>
        <source>Time zone</source>
        <translation>时区</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="44"/>
        <location filename="../../desktop/views/setup/finish.py" line="49"/>
        <source>Currency</source>
        <translation>货币</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="45"/>
        <source>the store&apos;s name, time zone, currency, price book and service types</source>
        <translation>门店名称、时区、货币、价目表和服务类型</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="45"/>
        <source>Brought from HQ</source>
        <translation>由总部提供</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="48"/>
        <source>Country</source>
        <translation>国家/地区</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="50"/>
        <source>Administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="50"/>
        <source>{0}, staff number {1}</source>
        <translation>{0}，员工编号 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="51"/>
        <source>Database key</source>
        <translation>数据库密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="51"/>
        <source>this computer&apos;s keyring</source>
        <translation>这台电脑的密钥环</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="52"/>
        <source>a passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="53"/>
        <source>Backups</source>
        <translation>备份</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="54"/>
        <source>none for now</source>
        <translation>暂不设置</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="55"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/setup/finish.py" line="56"/>
        <source>Label printer</source>
        <translation>标签打印机</translation>
    </message>
</context>
<context>
    <name>SyncPanel</name>
    <message>
        <location filename="../../desktop/views/sync.py" line="40"/>
        <source>customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="41"/>
        <source>repair ticket</source>
        <translation>维修工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="42"/>
        <source>appointment</source>
        <translation>预约</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="43"/>
        <source>trade-in quote</source>
        <translation>以旧换新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="44"/>
        <source>loyalty entry</source>
        <translation>积分记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="45"/>
        <source>loyalty member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="46"/>
        <source>device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="47"/>
        <source>part</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="48"/>
        <source>price book</source>
        <translation>价目表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="49"/>
        <source>service type</source>
        <translation>服务类型</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="50"/>
        <source>staff account</source>
        <translation>员工账户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="53"/>
        <source>added</source>
        <translation>新增</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="54"/>
        <source>changed</source>
        <translation>修改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="55"/>
        <source>removed</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="95"/>
        <source>Headquarters</source>
        <translation>总部</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="106"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="107"/>
        <location filename="../../desktop/views/sync.py" line="154"/>
        <source>HQ address</source>
        <translation>总部地址</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="108"/>
        <source>Last successful sync</source>
        <translation>上次成功同步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="109"/>
        <source>Waiting to send</source>
        <translation>待发送</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="110"/>
        <source>Waiting to receive</source>
        <translation>待接收</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="116"/>
        <source>This version</source>
        <translation>当前版本</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="119"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="133"/>
        <source>Connect this store to HQ</source>
        <translation>将本门店接入总部</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="135"/>
        <source>HQ gives you an address and a one-time code (orchard-hq enroll-store). Outside this computer HQ must use https; give the CA certificate HQ&apos;s certificate was issued by.</source>
        <translation>总部会提供一个地址和一次性接入码（orchard-hq enroll-store）。总部不在本机上时必须使用 https；请提供签发总部证书的 CA 证书。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="148"/>
        <source>system certificates</source>
        <translation>系统证书</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="149"/>
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="155"/>
        <source>Enrolment code</source>
        <translation>接入码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="156"/>
        <source>CA certificate</source>
        <translation>CA 证书</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="168"/>
        <source>Enrol with HQ</source>
        <translation>接入总部</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="175"/>
        <source>Changes HQ refused</source>
        <translation>总部已拒绝的更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="177"/>
        <source>HQ refused these changes; they stay here and do not sync. This store&apos;s copy was set back to HQ&apos;s where HQ has one.</source>
        <translation>总部拒绝了以下更改；这些更改保留在本机，不会同步。如总部有对应数据，本门店的数据已恢复为总部的版本。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="182"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="183"/>
        <source>Record</source>
        <translation>记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="184"/>
        <source>Change</source>
        <translation>更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="185"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="197"/>
        <source>Send again</source>
        <translation>重新发送</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="199"/>
        <source>After HQ&apos;s data or rules were corrected</source>
        <translation>在总部修正数据或规则后使用</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="207"/>
        <source>Loyalty balances below zero</source>
        <translation>积分余额低于零</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="209"/>
        <source>The same points were redeemed at two stores while offline. Both redemptions are kept; a manager decides what to do.</source>
        <translation>离线期间，同一批积分在两家门店被兑换。两笔兑换均已保留，由店长决定如何处理。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="213"/>
        <source>Member</source>
        <translation>会员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="214"/>
        <source>Balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="214"/>
        <source>{0} points</source>
        <translation>{0} 积分</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="259"/>
        <source>Not connected: this store works offline and keeps every change until it is enrolled with HQ.</source>
        <translation>未连接：本门店以离线方式工作，在接入总部之前会保留所有更改。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="263"/>
        <source>nothing</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="263"/>
        <source>1 change</source>
        <translation>1 项更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="264"/>
        <source>{0} changes</source>
        <translation>{0} 项更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="266"/>
        <source>up to date</source>
        <translation>已是最新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="267"/>
        <source>HQ had newer changes at the last contact</source>
        <translation>上次连接时总部有新的更改</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="271"/>
        <source>This computer&apos;s clock is {0} min ahead of HQ&apos;s.</source>
        <translation>本机时钟比总部快 {0} 分钟。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="272"/>
        <source>This computer&apos;s clock is {0} min behind HQ&apos;s.</source>
        <translation>本机时钟比总部慢 {0} 分钟。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="291"/>
        <source>Syncing with HQ…</source>
        <translation>正在与总部同步…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="304"/>
        <source>CA certificate of HQ</source>
        <translation>总部的 CA 证书</translation>
    </message>
    <message>
        <location filename="../../desktop/views/sync.py" line="305"/>
        <source>Certificates (*.pem *.crt *.cer);;All files (*)</source>
        <translation>证书 (*.pem *.crt *.cer);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>SyncService</name>
    <message>
        <location filename="../../desktop/sync_service.py" line="104"/>
        <source>Syncing with HQ…</source>
        <translation>正在与总部同步…</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="184"/>
        <source>never</source>
        <translation>从未</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="191"/>
        <source>Sync stopped: this version ({0}) is older than the oldest HQ accepts ({1}); update Orchard</source>
        <translation>同步已停止：此版本（{0}）低于总部接受的最低版本（{1}）；请更新 Orchard</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="197"/>
        <source>Update available: {0}</source>
        <translation>有可用更新：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="202"/>
        <source>Offline: not connected to HQ</source>
        <translation>离线：未连接总部</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="203"/>
        <source>all sent</source>
        <translation>已全部发送</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="203"/>
        <source>{0} waiting</source>
        <translation>{0} 项待发送</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="210"/>
        <source>Sync failed: {0}</source>
        <translation>同步失败：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="206"/>
        <location filename="../../desktop/sync_service.py" line="211"/>
        <source>last synced {0}</source>
        <translation>上次同步于 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="213"/>
        <source>Synced {0}</source>
        <translation>已于 {0} 同步</translation>
    </message>
    <message>
        <location filename="../../desktop/sync_service.py" line="218"/>
        <source>{0} refused</source>
        <translation>{0} 项被拒绝</translation>
    </message>
</context>
<context>
    <name>TaskPage</name>
    <message>
        <location filename="../../desktop/views/care/call.py" line="132"/>
        <source>← Due list</source>
        <translation>← 待办列表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/care/call.py" line="140"/>
        <source>No customer named</source>
        <translation>未指明客户</translation>
    </message>
</context>
<context>
    <name>TicketPanel</name>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="58"/>
        <source>← Board</source>
        <translation>← 看板</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="60"/>
        <source>Back to the board (Alt+Left)</source>
        <translation>返回看板 (Alt+Left)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="86"/>
        <source>Start diagnosis</source>
        <translation>开始检测</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="89"/>
        <source>Take this ticket</source>
        <translation>接单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="92"/>
        <source>Assign to a technician</source>
        <translation>指派给技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="94"/>
        <source>Cancel ticket…</source>
        <translation>取消工单…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="96"/>
        <source>Intake receipt</source>
        <translation>维修收机单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="98"/>
        <source>Device label</source>
        <translation>设备标签</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="100"/>
        <source>Service report</source>
        <translation>维修服务报告</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="102"/>
        <source>Record a complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="120"/>
        <source>Intake</source>
        <translation>收机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="121"/>
        <source>Diagnosis &amp;&amp; quote</source>
        <translation>检测 &amp;&amp; 报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="122"/>
        <source>Parts</source>
        <translation>配件</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="123"/>
        <source>Approval</source>
        <translation>客户确认</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="124"/>
        <source>Repair &amp;&amp; QC</source>
        <translation>维修 &amp;&amp; 质检</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="125"/>
        <source>Pickup</source>
        <translation>取机</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="126"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="144"/>
        <source>Rework of {0}</source>
        <translation>返修自 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="145"/>
        <source>Reworked as {0}</source>
        <translation>已返修为 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="149"/>
        <source>Due {0}</source>
        <translation>预计 {0} 完成</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="150"/>
        <source>Overdue since {0}</source>
        <translation>自 {0} 起超期</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="164"/>
        <source>Unassigned</source>
        <translation>未指派</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="217"/>
        <source>Cancel ticket</source>
        <translation>取消工单</translation>
    </message>
    <message>
        <location filename="../../desktop/views/bench/panel.py" line="218"/>
        <source>Cancel ticket {0}? Reserved parts go back to stock; the device is then handed back unrepaired.</source>
        <translation>要取消工单 {0} 吗？已预留的配件将退回库存，设备随后原样交还客户。</translation>
    </message>
</context>
<context>
    <name>TradeInAcceptance</name>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="30"/>
        <source>Voucher code</source>
        <translation>代金券码</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="41"/>
        <source>Print voucher</source>
        <translation>打印代金券</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="96"/>
        <source>{0} · valid until {1}</source>
        <translation>{0} · 有效期至 {1}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="98"/>
        <source>Price book {0} · valid from {1}</source>
        <translation>价目表 {0} · {1} 起生效</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="106"/>
        <source>Make quote</source>
        <translation>生成报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="131"/>
        <source>Show on the customer display</source>
        <translation>在顾客显示屏上显示</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="201"/>
        <source>Accepted. {0} points credited to member {1}.</source>
        <translation>已接受。{0} 积分已计入会员 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="204"/>
        <source>Accepted. Give the customer voucher {0} for {1}.</source>
        <translation>已接受。请将代金券 {0}（面值 {1}）交给客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="207"/>
        <source>Trade-in bonus: {0} points to member {1}.</source>
        <translation>以旧换新奖励：{0} 积分已计入会员 {1}。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="209"/>
        <source>The device is received for refurbishment.</source>
        <translation>设备已收下，待翻新。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="224"/>
        <source>Save re-quote</source>
        <translation>保存新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/acceptance.py" line="239"/>
        <source>Declined: the customer takes the device back.</source>
        <translation>已拒绝：客户取回设备。</translation>
    </message>
</context>
<context>
    <name>TradeInBreakdown</name>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="31"/>
        <source>Base value, grade {0}</source>
        <translation>基础价，成色等级 {0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="33"/>
        <source>Age: {0} months since release ({1} %)</source>
        <translation>机龄：上市 {0} 个月（{1} %）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="36"/>
        <source>Battery health not measured ({0} %)</source>
        <translation>电池健康度未检测（{0} %）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="37"/>
        <source>Battery health {0} % ({1} %)</source>
        <translation>电池健康度 {0} %（{1} %）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="39"/>
        <source>Raised to the minimum value</source>
        <translation>按最低回收价计</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="41"/>
        <source>Rounded down</source>
        <translation>向下取整</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="47"/>
        <source>Capped at the value of grade {0}</source>
        <translation>不超过成色等级 {0} 的价格</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="51"/>
        <source>Grade: {0}</source>
        <translation>成色等级：{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="93"/>
        <source>{0} questions still to answer: the value is provisional.</source>
        <translation>还有 {0} 个问题未回答：当前为暂估价。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="96"/>
        <source>Screen repair</source>
        <translation>屏幕维修</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="96"/>
        <source>Battery replacement</source>
        <translation>更换电池</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/breakdown.py" line="99"/>
        <source>{0}: {1} — worth {2} as a trade-in afterwards, or keep using it</source>
        <translation>{0}：{1} — 修好后以旧换新可值 {2}，也可继续使用</translation>
    </message>
</context>
<context>
    <name>TradeInGates</name>
    <message>
        <location filename="../../desktop/views/tradein/gates.py" line="22"/>
        <source>{0} (reported {1})</source>
        <translation>{0}（登记原因：{1}）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/gates.py" line="32"/>
        <source>This device cannot be traded in:</source>
        <translation>此设备无法以旧换新：</translation>
    </message>
</context>
<context>
    <name>TradeInQuestionnaire</name>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="39"/>
        <source>Price book {0} · valid from {1}</source>
        <translation>价目表 {0} · {1} 起生效</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="44"/>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="59"/>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="133"/>
        <source>Choose…</source>
        <translation>请选择…</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="50"/>
        <source>No price book is in force: trade-ins cannot be valued.</source>
        <translation>当前没有生效的价目表：无法进行以旧换新估价。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="117"/>
        <source>Not measured</source>
        <translation>未检测</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="121"/>
        <source>Choose the model to see its questions.</source>
        <translation>选择型号后显示相应问题。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="159"/>
        <source>Battery health</source>
        <translation>电池健康度</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="171"/>
        <source>Not chosen yet</source>
        <translation>尚未选择</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="275"/>
        <source>No customer matches.</source>
        <translation>没有匹配的客户。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="307"/>
        <source>Member {0}: store credit goes to their points.</source>
        <translation>会员 {0}：抵用金将计入其积分。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="308"/>
        <source>Not a loyalty member: store credit is paid as a voucher.</source>
        <translation>非会员：抵用金将以代金券形式发放。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/questionnaire.py" line="310"/>
        <source>Date of birth not on file: check ID (18 or over).</source>
        <translation>资料中没有出生日期：请核验身份证件（须年满 18 岁）。</translation>
    </message>
</context>
<context>
    <name>TradeInScreen</name>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="284"/>
        <source>Trade-in</source>
        <translation>以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="274"/>
        <source>Quoted</source>
        <translation>报价时间</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="107"/>
        <location filename="../../desktop/views/tradein/screen.py" line="275"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="276"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="277"/>
        <source>Grade</source>
        <translation>成色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="278"/>
        <source>Value</source>
        <translation>估价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="280"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="281"/>
        <source>Expires</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="63"/>
        <source>New trade-in</source>
        <translation>新建以旧换新</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="65"/>
        <source>Start again with an empty questionnaire (Ctrl+N)</source>
        <translation>清空问卷重新开始 (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="70"/>
        <source>Valuation</source>
        <translation>估价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="71"/>
        <source>Quotes</source>
        <translation>报价列表</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="91"/>
        <source>Customer and device</source>
        <translation>客户和设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="99"/>
        <source>Name or phone</source>
        <translation>姓名或电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="102"/>
        <source>Find</source>
        <translation>查找</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="113"/>
        <source>Paid as</source>
        <translation>结算方式</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="121"/>
        <source>Family</source>
        <translation>系列</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="124"/>
        <source>Model</source>
        <translation>型号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="127"/>
        <source>15 digits (*#06#)</source>
        <translation>15 位数字（拨 *#06# 查看）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="131"/>
        <source>IMEI</source>
        <translation>IMEI</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="134"/>
        <source>Serial</source>
        <translation>序列号</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="141"/>
        <source>Condition</source>
        <translation>成色</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="165"/>
        <source>Step</source>
        <translation>项目</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="166"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="182"/>
        <source>Trade-in value</source>
        <translation>以旧换新估价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="198"/>
        <location filename="../../desktop/views/tradein/screen.py" line="392"/>
        <source>Make quote</source>
        <translation>生成报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="204"/>
        <source>Quote</source>
        <translation>报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="212"/>
        <location filename="../../desktop/views/tradein/screen.py" line="379"/>
        <source>The customer types or says their full name</source>
        <translation>客户输入或说出其全名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="213"/>
        <source>Signed by</source>
        <translation>签名人</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="215"/>
        <source>The customer confirms the device is</source>
        <translation>客户确认该设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="217"/>
        <source>theirs to sell</source>
        <translation>归本人所有，有权出售</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="218"/>
        <source>wiped and signed out of all accounts</source>
        <translation>已清除数据并退出所有账户</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="221"/>
        <source>Accept and pay out</source>
        <translation>接受并结算</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="226"/>
        <source>Re-quote</source>
        <translation>重新报价</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="227"/>
        <source>Inspection found the device differs from its description</source>
        <translation>检查发现设备与描述不符</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="229"/>
        <source>Return device</source>
        <translation>退还设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="230"/>
        <source>The customer declines and takes the device back</source>
        <translation>客户拒绝报价并取回设备</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="241"/>
        <source>Print receipt</source>
        <translation>打印收据</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="268"/>
        <source>Double-click a quote to accept it, re-quote it or hand the device back.</source>
        <translation>双击报价可接受、重新报价或退还设备。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/tradein/screen.py" line="343"/>
        <source>This quote is {0}.</source>
        <translation>此报价{0}。</translation>
    </message>
</context>
<context>
    <name>UnconfirmedKeyQuestion</name>
    <message>
        <location filename="../../desktop/views/database_key.py" line="499"/>
        <source>The recovery key was never confirmed</source>
        <translation>恢复密钥从未被确认</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="501"/>
        <source>When this store was set up, nobody confirmed that its recovery key was stored. Without the recovery key, a lost keyring or a forgotten passphrase locks the store&apos;s data away, and its backups with it. Make a new recovery key now and keep its sheet away from this computer?</source>
        <translation>设置本门店时，没有人确认已保存其恢复密钥。没有恢复密钥，一旦密钥环丢失或口令被遗忘，门店的数据及其备份都将无法打开。现在生成新的恢复密钥，并将其打印页存放在远离这台电脑的地方吗？</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="504"/>
        <source>Make a new recovery key</source>
        <translation>生成新的恢复密钥</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="505"/>
        <source>It is stored</source>
        <translation>已妥善保存</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="506"/>
        <source>The recovery key shown at set-up is written down or printed, and kept safe away from this computer</source>
        <translation>设置时显示的恢复密钥已抄下或打印，并妥善存放在远离这台电脑的地方</translation>
    </message>
    <message>
        <location filename="../../desktop/views/database_key.py" line="508"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>ValuePanel</name>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="192"/>
        <source>Customer value</source>
        <translation>客户价值</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="198"/>
        <source>No scores yet: they come from HQ after the next sync.</source>
        <translation>暂无评分：下次同步后由总部提供。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="208"/>
        <source>Segment</source>
        <translation>客户分群</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="208"/>
        <source>Churn risk</source>
        <translation>流失风险</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="208"/>
        <source>Value band</source>
        <translation>价值等级</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="209"/>
        <source>Spent so far</source>
        <translation>累计消费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="210"/>
        <source>Next 12 months (expected)</source>
        <translation>未来 12 个月（预计）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="230"/>
        <source>Next best actions</source>
        <translation>下一步最佳行动</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="238"/>
        <source>Nothing to suggest for this customer now.</source>
        <translation>目前没有针对该客户的建议。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="290"/>
        <source>no spend yet</source>
        <translation>尚无消费</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="291"/>
        <source>{0} of 100</source>
        <translation>{0} / 100</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="296"/>
        <source>Scores from HQ, {0}</source>
        <translation>总部评分，{0}</translation>
    </message>
    <message>
        <location filename="../../desktop/views/crm/value_panel.py" line="341"/>
        <source>“{0}” {1}: counted in the customer insights.</source>
        <translation>“{0}”{1}：已计入客户洞察。</translation>
    </message>
</context>
<context>
    <name>WaitingDialog</name>
    <message>
        <location filename="../../desktop/display/waiting.py" line="17"/>
        <source>Customer display</source>
        <translation>客户显示屏</translation>
    </message>
    <message>
        <location filename="../../desktop/display/waiting.py" line="19"/>
        <source>The customer is answering on the display.</source>
        <translation>顾客正在显示屏上作答。</translation>
    </message>
    <message>
        <location filename="../../desktop/display/waiting.py" line="25"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../desktop/display/waiting.py" line="28"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../desktop/display/waiting.py" line="37"/>
        <source>Answer saved. Thank you.</source>
        <translation>回答已保存。谢谢。</translation>
    </message>
</context>
<context>
    <name>WalkInDialog</name>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="39"/>
        <source>Add a walk-in</source>
        <translation>加入排队</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="58"/>
        <source>Name, or a customer&apos;s name or phone to look up</source>
        <translation>姓名，或用于查找顾客的姓名/电话</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="59"/>
        <source>Find customer</source>
        <translation>查找顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="64"/>
        <source>Who</source>
        <translation>顾客</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="67"/>
        <source>Just the name typed above</source>
        <translation>只用上面输入的姓名</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="72"/>
        <source>Service</source>
        <translation>服务</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="74"/>
        <source>Whoever is free first</source>
        <translation>最先有空的技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="75"/>
        <source>Technician</source>
        <translation>技术员</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="77"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="81"/>
        <source>Add to queue</source>
        <translation>加入排队</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="98"/>
        <source>{0} · {1} min</source>
        <translation>{0} · {1} 分钟</translation>
    </message>
    <message>
        <location filename="../../desktop/views/appointments/queue.py" line="117"/>
        <source>No customer matches; the name alone will do.</source>
        <translation>没有匹配的顾客；仅用姓名也可以。</translation>
    </message>
</context>
<context>
    <name>YesNoChoice</name>
    <message>
        <location filename="../../desktop/widgets/yes_no.py" line="26"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../desktop/widgets/yes_no.py" line="27"/>
        <source>No</source>
        <translation>否</translation>
    </message>
</context>
<context>
    <name>_LedgerDialog</name>
    <message>
        <location filename="../../desktop/views/loyalty/dialogs.py" line="58"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <location filename="../../desktop/views/customers.py" line="516"/>
        <source>Member card</source>
        <translation>会员卡</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="517"/>
        <source>Welcome letter</source>
        <translation>入会欢迎信</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="519"/>
        <source>Customer data (access request)</source>
        <translation>客户数据（查阅请求）</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="522"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="522"/>
        <source>Nothing to print for this customer.</source>
        <translation>此客户没有可打印的内容。</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="528"/>
        <source>Not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <location filename="../../desktop/views/customers.py" line="529"/>
        <source>This part of Orchard is not installed on this counter.</source>
        <translation>此柜台未安装 Orchard 的这一功能。</translation>
    </message>
</context>
</TS>
