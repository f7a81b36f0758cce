"""The published list of one-card applications, by the thirteen categories of Art. 7.

This is the list the city's human resources and social security department compiles and
publishes (Art. 7, last paragraph). The reference platform seeds it into its database; a pilot
edits it there. Which items use the card's financial functions is marked per Art. 19: they work
only once the card's financial account is activated.

Each row: (id, (name zh, name en), (where zh, where en), (how zh, how en), needs financial account).
"""

from __future__ import annotations

from typing import TypeAlias

Text: TypeAlias = tuple[str, str]
Row: TypeAlias = tuple[str, Text, Text, Text, bool]

# The catalog's publication date: the day the regulation took effect (Art. 20).
PUBLISHED = "2024-01-01T00:00:00+08:00"

CATEGORIES: dict[int, Text] = {
    1: ("社会保障业务", "Social insurance"),
    2: ("人力资源业务", "Employment and human resources"),
    3: ("医疗健康服务", "Medical and health services"),
    4: ("惠民惠农补贴发放", "Government subsidies"),
    5: ("身份凭证", "Proof of identity"),
    6: ("公共交通", "Public transport"),
    7: ("文化旅游", "Libraries, museums and scenic sites"),
    8: ("校园服务", "Campus services"),
    9: ("缴费服务", "Taxes, fees and utility bills"),
    10: ("便民金融服务", "Financial services"),
    11: ("单位便捷服务", "Workplace services"),
    12: ("住宅区服务", "Residential community services"),
    13: ("其他服务", "Other services"),
}

ITEMS: dict[int, tuple[Row, ...]] = {
    1: (
        (
            "ss-pension-query",
            ("养老保险缴费查询", "Pension insurance contributions"),
            (
                "社保经办大厅自助机、郑州人社App",
                "Self-service kiosks in social insurance halls; Zhengzhou HRSS app",
            ),
            (
                "插卡或扫电子码，输入密码后查询",
                "Insert the card or scan the e-code, enter the PIN, then look up",
            ),
            False,
        ),
        (
            "ss-medical-query",
            ("医疗保险参保查询", "Medical insurance coverage"),
            ("医保经办窗口、自助机", "Medical insurance counters and kiosks"),
            (
                "插卡或扫电子码查询参保状态",
                "Insert the card or scan the e-code to see your coverage",
            ),
            False,
        ),
        (
            "ss-unemployment-claim",
            ("失业保险金申领", "Unemployment benefit claim"),
            ("各区人社服务大厅", "District HRSS service halls"),
            (
                "持卡到窗口或在自助机申领，待遇发放到社保卡",
                "Claim at a counter or kiosk; the benefit is paid to the card",
            ),
            True,
        ),
        (
            "ss-work-injury",
            ("工伤保险待遇申请", "Work-injury benefit application"),
            ("市、区社保经办机构", "City and district social insurance offices"),
            (
                "持卡到窗口提交申请，待遇发放到社保卡",
                "Apply at a counter with the card; benefits are paid to it",
            ),
            True,
        ),
        (
            "ss-maternity",
            ("生育保险待遇申领", "Maternity benefit claim"),
            ("医保经办窗口", "Medical insurance counters"),
            ("持卡办理，生育津贴发放到社保卡", "Apply with the card; the allowance is paid to it"),
            True,
        ),
        (
            "ss-certificate",
            ("参保证明打印", "Certificate of insured status"),
            ("社保大厅自助机", "Kiosks in social insurance halls"),
            (
                "插卡或扫电子码，选择证明类型后打印",
                "Insert the card or scan the e-code, choose the certificate, print",
            ),
            False,
        ),
    ),
    2: (
        (
            "hr-job-registration",
            ("就业失业登记", "Employment and unemployment registration"),
            ("街道（乡镇）人社服务站", "Sub-district HRSS service stations"),
            ("持卡到服务站登记", "Register at the station with the card"),
            False,
        ),
        (
            "hr-startup-loan",
            ("创业担保贷款申请", "Start-up guaranteed loan"),
            ("市创业担保贷款服务窗口", "City start-up loan service counter"),
            (
                "持卡申请，贷款发放需激活金融账户",
                "Apply with the card; payout needs the financial account",
            ),
            True,
        ),
        (
            "hr-skills-subsidy",
            ("职业技能培训补贴", "Vocational training subsidy"),
            ("定点培训机构", "Designated training schools"),
            (
                "培训时刷卡签到，补贴发放到社保卡",
                "Tap the card to sign in; the subsidy is paid to the card",
            ),
            True,
        ),
        (
            "hr-talent-services",
            ("人才服务与人事档案查询", "Talent services and personnel files"),
            ("市人才交流中心", "City talent exchange centre"),
            ("持卡到窗口办理", "Bring the card to the counter"),
            False,
        ),
        (
            "hr-labour-dispute",
            ("劳动关系与劳动仲裁服务", "Labour relations and arbitration"),
            ("劳动人事争议仲裁院", "Labour dispute arbitration court"),
            ("持卡作为身份凭证登记", "Use the card as identification to register"),
            False,
        ),
    ),
    3: (
        (
            "med-registration",
            ("医院挂号就诊", "Hospital registration and visits"),
            ("全市二级以上医疗机构", "Hospitals of grade II and above in the city"),
            (
                "在挂号窗口或自助机插卡、扫码挂号",
                "Insert or scan at the registration counter or kiosk",
            ),
            False,
        ),
        (
            "med-account-settlement",
            ("医保个人账户结算", "Medical account payments"),
            ("定点医院、定点药店", "Designated hospitals and pharmacies"),
            ("结算时出示社保卡或电子码", "Show the card or e-code when paying"),
            False,
        ),
        (
            "med-cross-region",
            ("异地就医直接结算", "Direct settlement of medical costs in other cities"),
            ("全国联网定点医疗机构", "Nationally networked designated hospitals"),
            ("先备案，就医时出示社保卡", "Register first, then show the card at the hospital"),
            False,
        ),
        (
            "med-health-record",
            ("居民健康档案查询", "Personal health record"),
            ("社区卫生服务中心", "Community health centres"),
            ("插卡查询本人健康档案", "Insert the card to see your health record"),
            False,
        ),
        (
            "med-vaccination",
            ("预防接种登记", "Vaccination registration"),
            ("社区卫生服务中心接种门诊", "Vaccination clinics of community health centres"),
            ("接种时出示社保卡登记", "Show the card when registering for a vaccination"),
            False,
        ),
    ),
    4: (
        (
            "sub-agri",
            ("惠农补贴发放", "Farming subsidies"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            (
                "无需申请，按政策自动发放",
                "Paid automatically under the policy; no application needed",
            ),
            True,
        ),
        (
            "sub-elderly",
            ("高龄津贴发放", "Old-age allowance"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            ("符合条件的老年人由社区申报", "The community files it for eligible elderly residents"),
            True,
        ),
        (
            "sub-disability",
            ("残疾人两项补贴", "Disability living and care allowances"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            ("经残联认定后按月发放", "Paid monthly once the disabled persons' federation confirms"),
            True,
        ),
        (
            "sub-minimum-living",
            ("城乡低保金发放", "Minimum living allowance"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            ("经民政部门审核后按月发放", "Paid monthly after civil affairs review"),
            True,
        ),
        (
            "sub-employment",
            ("就业补贴发放", "Employment subsidies"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            ("经人社部门审核后发放", "Paid after HRSS review"),
            True,
        ),
    ),
    5: (
        (
            "id-public-services",
            ("政务服务身份核验", "Identity check for government services"),
            ("各级政务服务大厅", "Government service halls at every level"),
            ("在窗口刷卡或出示电子码核验身份", "Tap the card or show the e-code at the counter"),
            False,
        ),
        (
            "id-hotel-registration",
            ("住宿登记", "Hotel check-in registration"),
            ("全市旅馆、酒店", "Hotels in the city"),
            ("入住时出示社保卡登记", "Show the card when checking in"),
            False,
        ),
        (
            "id-exam-registration",
            ("考试报名身份核验", "Identity check for exam registration"),
            ("人事考试报名点", "Personnel examination registration points"),
            ("报名时刷卡核验身份", "Tap the card to confirm your identity when registering"),
            False,
        ),
    ),
    6: (
        (
            "tr-bus",
            ("乘坐公交车", "City buses"),
            ("郑州市公交线路", "Zhengzhou bus lines"),
            ("上车时在刷卡机上刷卡或扫码", "Tap the card or scan the e-code on boarding"),
            True,
        ),
        (
            "tr-metro",
            ("乘坐地铁", "Metro"),
            ("郑州地铁各站闸机", "Gates of every Zhengzhou metro station"),
            ("进出站时刷卡或扫码", "Tap or scan at the gates on entry and exit"),
            True,
        ),
        (
            "tr-elderly-free",
            ("老年人免费乘车", "Free rides for the elderly"),
            ("公交、地铁", "Buses and metro"),
            (
                "65周岁以上持卡人开通后刷卡乘车",
                "Residents aged 65 and over tap the card once enabled",
            ),
            False,
        ),
        (
            "tr-bike",
            ("公共自行车租借", "Public bicycles"),
            ("公共自行车站点", "Public bicycle stations"),
            ("在站点刷卡借还车", "Tap the card at a station to take or return a bicycle"),
            True,
        ),
    ),
    7: (
        (
            "cul-library",
            ("公共图书馆借阅", "Public libraries"),
            ("郑州图书馆及各区分馆", "Zhengzhou Library and district branches"),
            ("刷卡入馆、借还图书", "Tap the card to enter and to borrow or return books"),
            False,
        ),
        (
            "cul-museum",
            ("国有博物馆参观", "State museums"),
            ("河南博物院、郑州博物馆等", "Henan Museum, Zhengzhou Museum and others"),
            ("刷卡或扫码预约入馆", "Tap or scan to enter with a reservation"),
            False,
        ),
        (
            "cul-science",
            ("公共科技场馆参观", "Public science museums"),
            ("郑州科技馆", "Zhengzhou Science and Technology Museum"),
            ("刷卡或扫码入馆", "Tap or scan to enter"),
            False,
        ),
        (
            "cul-scenic",
            ("旅游景区入园", "Scenic sites"),
            ("合作旅游景区", "Partner scenic sites"),
            (
                "入园时刷卡或扫码，优惠按景区规定",
                "Tap or scan at the gate; discounts follow each site's rules",
            ),
            True,
        ),
    ),
    8: (
        (
            "campus-exam",
            ("学校考试管理", "School exam check-in"),
            ("合作中小学、高校", "Partner schools and universities"),
            ("考试时刷卡核验考生身份", "Tap the card to confirm the candidate at the exam"),
            False,
        ),
        (
            "campus-scholarship",
            ("奖学金、助学金发放", "Scholarships and student grants"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            ("由学校申报发放", "Filed and paid by the school"),
            True,
        ),
        (
            "campus-canteen",
            ("校园餐饮消费", "Campus canteens"),
            ("合作学校食堂", "Canteens of partner schools"),
            ("就餐时刷卡支付", "Tap the card to pay for meals"),
            True,
        ),
        (
            "campus-access",
            ("校区出入与图书借阅", "Campus entry and school libraries"),
            ("合作学校", "Partner schools"),
            ("刷卡出入校门、借阅图书", "Tap the card at the gate and in the library"),
            False,
        ),
    ),
    9: (
        (
            "pay-tax",
            ("个人税费缴纳", "Personal taxes and fees"),
            ("税务大厅、自助办税终端", "Tax halls and self-service tax terminals"),
            ("刷卡缴纳", "Tap the card to pay"),
            True,
        ),
        (
            "pay-utilities",
            ("水电气暖费缴纳", "Water, power, gas and heating bills"),
            ("便民缴费终端、银行网点", "Bill-payment terminals and bank branches"),
            ("选择缴费项目后刷卡支付", "Choose the bill, then tap the card to pay"),
            True,
        ),
        (
            "pay-fines",
            ("罚款缴纳", "Fines"),
            ("合作银行网点、自助终端", "Partner bank branches and terminals"),
            ("凭罚单号刷卡缴纳", "Enter the notice number and tap the card"),
            True,
        ),
        (
            "pay-union-party",
            ("工会会费、党费交纳", "Trade-union and party dues"),
            ("所在单位或线上渠道", "Your workplace or online channels"),
            ("通过社保卡金融账户交纳", "Paid through the card's financial account"),
            True,
        ),
    ),
    10: (
        (
            "fin-housing-fund",
            ("住房公积金提取", "Housing provident fund withdrawal"),
            ("公积金管理中心", "Housing provident fund centre"),
            (
                "提取款转入社保卡金融账户",
                "The withdrawal is paid into the card's financial account",
            ),
            True,
        ),
        (
            "fin-cash",
            ("现金存取", "Cash deposit and withdrawal"),
            ("合作银行网点、ATM", "Partner bank branches and ATMs"),
            ("插卡输入金融交易密码", "Insert the card and enter the banking PIN"),
            True,
        ),
        (
            "fin-transfer",
            ("转账", "Transfers"),
            ("合作银行网点、手机银行", "Partner bank branches and mobile banking"),
            ("按合作银行规定办理", "As the partner bank's rules provide"),
            True,
        ),
        (
            "fin-mobile-pay",
            ("消费及移动支付", "Card and mobile payments"),
            ("支持银联的商户", "Merchants accepting UnionPay"),
            ("刷卡或出示电子码支付", "Tap the card or show the e-code to pay"),
            True,
        ),
    ),
    11: (
        (
            "work-access",
            ("单位门禁", "Workplace entry"),
            (
                "接入一卡通的机关、企事业单位",
                "Agencies and employers joined to the one-card system",
            ),
            ("刷卡通行", "Tap the card at the door"),
            False,
        ),
        (
            "work-attendance",
            ("考勤管理", "Attendance"),
            ("接入一卡通的单位", "Employers joined to the one-card system"),
            ("上下班刷卡打卡", "Tap the card when arriving and leaving"),
            False,
        ),
        (
            "work-salary",
            ("工资待遇发放", "Salary payment"),
            ("发放到社保卡金融账户", "Paid into the card's financial account"),
            ("由单位代发", "Paid by the employer"),
            True,
        ),
        (
            "work-canteen",
            ("单位食堂消费", "Workplace canteens"),
            ("接入一卡通的单位食堂", "Canteens joined to the one-card system"),
            ("就餐时刷卡支付", "Tap the card to pay"),
            True,
        ),
    ),
    12: (
        (
            "home-access",
            ("小区门禁", "Residential entry"),
            ("接入一卡通的住宅小区", "Residential compounds joined to the one-card system"),
            ("在物业登记后刷卡通行", "Register with the property office, then tap to enter"),
            False,
        ),
        (
            "home-parking",
            ("停车管理", "Parking"),
            ("接入一卡通的小区停车场", "Compound car parks joined to the system"),
            (
                "刷卡进出，停车费从金融账户扣缴",
                "Tap in and out; fees are charged to the financial account",
            ),
            True,
        ),
        (
            "home-property-fee",
            ("物业费缴纳", "Property management fees"),
            ("物业服务中心", "Property service offices"),
            ("刷卡缴纳", "Tap the card to pay"),
            True,
        ),
        (
            "home-housekeeping",
            ("家政服务预约", "Housekeeping services"),
            ("社区家政服务站", "Community housekeeping stations"),
            ("刷卡核验身份后预约", "Tap the card to identify, then book"),
            False,
        ),
    ),
    13: (
        (
            "other-elderly-meals",
            ("老年助餐", "Meal service for the elderly"),
            ("社区老年食堂", "Community canteens for the elderly"),
            ("刷卡就餐，享受助餐补贴", "Tap the card to eat with the meal subsidy"),
            True,
        ),
        (
            "other-volunteer",
            ("志愿服务记录", "Volunteer service record"),
            ("社区服务中心", "Community service centres"),
            ("服务时刷卡记录时长", "Tap the card to log your hours"),
            False,
        ),
    ),
}
